package org.mm4j.alloc;

import java.util.stream.LongStream;

/**
 * Seeds for randomized tests: a fixed set by default, so CI is repeatable, or the one given with
 * {@code -Dseed=N} to replay a failure. Every failure message names its seed.
 */
public final class Seeds {
    private Seeds() {}

    /** The seeds to run: {@code -Dseed} alone if set, else {@code count} fixed seeds. */
    public static LongStream seeds(int count) {
        Long replay = Long.getLong("seed");
        if (replay != null) {
            return LongStream.of(replay);
        }
        return LongStream.rangeClosed(1, count).map(Seeds::mix);
    }

    /**
     * SplitMix64's finalizer over {@code i} times the golden gamma. The product alone would not do:
     * {@code SplittableRandom} steps its state by that same gamma, so seeds that are multiples of it give
     * the same stream shifted by one draw.
     */
    private static long mix(long i) {
        long z = i * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Runs {@code body}, wrapping any failure with the seed and how to replay it. */
    public static void withSeed(long seed, ThrowingRunnable body) {
        try {
            body.run();
        } catch (Throwable t) {
            AssertionError e = new AssertionError("failed with seed " + seed + " (replay with -Dseed=" + seed + ")", t);
            throw e;
        }
    }

    /** A test body that may throw. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Throwable;
    }
}
