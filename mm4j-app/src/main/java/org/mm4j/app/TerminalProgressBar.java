package org.mm4j.app;

import java.io.PrintWriter;
import java.util.Locale;

/** A one-line progress bar redrawn in place with a carriage return; for terminals only. */
final class TerminalProgressBar implements Progress {
  private static final int BAR_WIDTH = 30;
  /** Ten redraws a second look smooth and cost nothing next to the work they report. */
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintWriter out;
  private final long startNanos = System.nanoTime();
  private long lastDrawNanos = Long.MIN_VALUE;
  private int lastLength;

  TerminalProgressBar(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void update(double fraction, String step) {
    long now = System.nanoTime();
    if (lastDrawNanos != Long.MIN_VALUE && now - lastDrawNanos < REDRAW_NANOS) {
      return;
    }
    lastDrawNanos = now;
    draw(fraction, step, now);
  }

  @Override
  public void finish() {
    draw(1.0, "done", System.nanoTime());
    out.println();
    out.flush();
  }

  private void draw(double fraction, String step, long now) {
    double done = Math.clamp(fraction, 0.0, 1.0);
    int filled = (int) (done * BAR_WIDTH);
    String line =
        String.format(
            Locale.ROOT,
            "[%s%s] %3d %%  %5.1f s  %s",
            "#".repeat(filled),
            "-".repeat(BAR_WIDTH - filled),
            (int) (done * 100),
            (now - startNanos) / 1e9,
            step);
    // Spaces over whatever the previous, longer line left behind.
    String erase = " ".repeat(Math.max(0, lastLength - line.length()));
    lastLength = line.length();
    out.print("\r" + line + erase);
    out.flush();
  }
}
