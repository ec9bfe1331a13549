package org.mm4j.app;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** Runs the steps of a round again and again, as long as a {@link RunLength} asks, step by step. */
final class Rounds {

  /** A named part of a round. */
  record Step(String name, Runnable action) {}

  private Rounds() {}

  /**
   * Runs rounds of {@code steps} while {@code length} wants another, showing each step on {@code
   * progress}, then finishes the progress and says how many rounds ran ({@code "Ran 6 rounds in 4.3
   * s"}, with {@code verb} "Ran") since {@code startNanos}, followed by a blank line.
   */
  static void run(
      List<Step> steps,
      RunLength length,
      Progress progress,
      long startNanos,
      String verb,
      PrintWriter out) {
    int rounds = 0;
    while (length.wantsRound(rounds, System.nanoTime() - startNanos)) {
      for (int i = 0; i < steps.size(); i++) {
        double roundFraction = (double) i / steps.size();
        progress.update(
            length.fraction(rounds, roundFraction, System.nanoTime() - startNanos),
            length.roundLabel(rounds + 1) + ": " + steps.get(i).name());
        steps.get(i).action().run();
      }
      rounds++;
    }
    progress.finish();
    out.printf(
        Locale.ROOT,
        "%s %d %s in %.1f s%n%n",
        verb,
        rounds,
        rounds == 1 ? "round" : "rounds",
        (System.nanoTime() - startNanos) / 1e9);
  }
}
