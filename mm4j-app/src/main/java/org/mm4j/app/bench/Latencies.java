package org.mm4j.app.bench;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Latency histograms of {@code mm4j bench gc}: HdrHistogram, in nanoseconds, three significant digits
 * (so a value is known to within 0.1 %), up to an hour.
 */
final class Latencies {
    static final long HIGHEST_NANOS = TimeUnit.HOURS.toNanos(1);

    private Latencies() {}

    static Histogram histogram() {
        return new Histogram(HIGHEST_NANOS, 3);
    }

    /** Records {@code nanos}, clamped to [0, an hour]. */
    static void record(Histogram histogram, long nanos) {
        histogram.recordValue(Math.clamp(nanos, 0, HIGHEST_NANOS));
    }

    /**
     * The figures a report shows of one distribution, in nanoseconds.
     *
     * @param count values recorded
     * @param p50 the median
     * @param p99 the 99th percentile
     * @param p999 the 99.9th percentile
     * @param max the largest value
     * @param totalNanos the sum of the values
     */
    record Summary(long count, long p50, long p99, long p999, long max, long totalNanos) {
        static Summary of(Histogram h) {
            if (h.getTotalCount() == 0) {
                return new Summary(0, 0, 0, 0, 0, 0);
            }
            return new Summary(h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                    h.getValueAtPercentile(99.9), h.getMaxValue(), Math.round(h.getMean() * h.getTotalCount()));
        }
    }
}
