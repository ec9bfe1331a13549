package org.mm4j.app;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.MemorySegment;

/**
 * Count, mean and variance of values that arrive in batches. Each batch is summarized in two passes
 * (mean, then squared deviations), which is accurate, and merged with Chan et al.'s pairwise
 * formula, so the batches need not be kept.
 */
final class RunningMoments {
  private long count;
  private double mean;
  private double squaredDeviations;

  /** Adds the {@code size} doubles at the start of {@code column}. */
  void addColumn(MemorySegment column, int size) {
    if (size == 0) {
      return;
    }
    double sum = 0;
    for (int i = 0; i < size; i++) {
      sum += column.getAtIndex(JAVA_DOUBLE, i);
    }
    double batchMean = sum / size;
    double batchSquares = 0;
    for (int i = 0; i < size; i++) {
      double d = column.getAtIndex(JAVA_DOUBLE, i) - batchMean;
      batchSquares += d * d;
    }
    long total = count + size;
    double delta = batchMean - mean;
    mean += delta * size / total;
    squaredDeviations += batchSquares + delta * delta * count * size / total;
    count = total;
  }

  long count() {
    return count;
  }

  double mean() {
    return mean;
  }

  /** The population standard deviation; 0 for fewer than two values. */
  double standardDeviation() {
    return count < 2 ? 0 : Math.sqrt(squaredDeviations / count);
  }
}
