package org.mm4j.app;

import java.io.Console;
import java.io.PrintWriter;

/**
 * Where a long run reports how far it is: a bar redrawn in place on a terminal, plain lines where the
 * output goes to a pipe or a file (a carriage return there would only garble logs), or nothing.
 */
sealed interface Progress permits TerminalProgressBar, ProgressLines, Progress.Silent {

  /** {@code fraction} (0 to 1) of the work is done; {@code step} names what runs now. */
  void update(double fraction, String step);

  /** The work is done: shows 100 % and ends the output line. */
  void finish();

  /** The progress display that suits {@code out}: a bar only when the console is a terminal. */
  // JDK 22 to 24 always had a console; JDK 25 returns null again when not attached to a terminal.
  @SuppressWarnings("SystemConsoleNull")
  static Progress to(PrintWriter out, boolean enabled) {
    if (!enabled) {
      return new Silent();
    }
    Console console = System.console();
    return console != null && console.isTerminal()
        ? new TerminalProgressBar(out)
        : new ProgressLines(out);
  }

  /** No progress output ({@code --no-progress}). */
  final class Silent implements Progress {
    @Override
    public void update(double fraction, String step) {}

    @Override
    public void finish() {}
  }
}
