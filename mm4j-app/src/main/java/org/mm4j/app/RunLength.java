package org.mm4j.app;

import java.util.Locale;

/** How long the demo runs: a number of rounds, or as many rounds as fit in a time. */
sealed interface RunLength {

  /** Whether to start another round after {@code roundsDone}; the first round always runs. */
  boolean wantsRound(int roundsDone, long elapsedNanos);

  /** The share of the run that is done, {@code roundFraction} being the current round's share. */
  double fraction(int roundsDone, double roundFraction, long elapsedNanos);

  /** The label of round {@code round} (counted from 1). */
  String roundLabel(int round);

  /** A fixed number of rounds: the results depend only on the seed. */
  record Rounds(int rounds) implements RunLength {
    @Override
    public boolean wantsRound(int roundsDone, long elapsedNanos) {
      return roundsDone < rounds;
    }

    @Override
    public double fraction(int roundsDone, double roundFraction, long elapsedNanos) {
      return (roundsDone + roundFraction) / rounds;
    }

    @Override
    public String roundLabel(int round) {
      return "round " + round + "/" + rounds;
    }

    @Override
    public String toString() {
      return rounds == 1 ? "1 round" : rounds + " rounds";
    }
  }

  /** Rounds until the time is up (the last round is finished, so the run may take a bit longer). */
  record Seconds(double seconds) implements RunLength {
    @Override
    public boolean wantsRound(int roundsDone, long elapsedNanos) {
      return roundsDone == 0 || elapsedNanos < seconds * 1e9;
    }

    @Override
    public double fraction(int roundsDone, double roundFraction, long elapsedNanos) {
      return Math.min(1.0, elapsedNanos / (seconds * 1e9));
    }

    @Override
    public String roundLabel(int round) {
      return "round " + round;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%.3g s of rounds", seconds);
    }
  }
}
