package org.mm4j.app;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress for pipes and log files: a plain line each time another tenth of the work is done, so at
 * most eleven lines, and never a carriage return.
 */
final class ProgressLines implements Progress {
  private final PrintWriter out;
  private int reportedTenths;

  ProgressLines(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void update(double fraction, String step) {
    // The small epsilon keeps 0.3 (which is 0.29999... in binary) from reporting one tenth late.
    int tenths = (int) Math.floor(Math.clamp(fraction, 0.0, 1.0) * 10 + 1e-9);
    if (tenths > reportedTenths) {
      reportedTenths = tenths;
      out.printf(Locale.ROOT, "progress %3d %%  %s%n", tenths * 10, step);
      out.flush();
    }
  }

  @Override
  public void finish() {
    update(1.0, "done");
  }
}
