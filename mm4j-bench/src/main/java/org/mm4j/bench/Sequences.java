package org.mm4j.bench;

/**
 * The workloads' random choices, drawn before the run into tables of {@link #LENGTH} entries so the
 * generator costs nothing in the measured loop. splitmix64 with fixed seeds: the C program
 * ({@code src/main/c/allocbench.c}) draws the very same tables.
 */
final class Sequences {
    static final int LENGTH = 1 << 16;
    static final int MASK = LENGTH - 1;

    /** Pareto sizes: x_m = 16 bytes, shape 1.1, capped at 1 KiB (the median is ~30 bytes). */
    static final int[] PARETO_SIZES = pareto(1);
    /** Uniform picks in [0, 1024): which live block to replace. */
    static final int[] PICKS_1024 = uniform(2, 0, 1024);
    /** larson's sizes: uniform in [8, 1024]. */
    static final int[] LARSON_SIZES = uniform(3, 8, 1025);
    /** churn's sizes: 80 % in [16, 512), 18 % in [512, 16 Ki), 2 % in [16 Ki, 512 Ki). */
    static final int[] CHURN_SIZES = churn(4);
    /** Uniform picks in [0, 4096). */
    static final int[] PICKS_4096 = uniform(5, 0, 4096);

    private Sequences() {}

    /** splitmix64: the state advances by the golden gamma; the output is a mix of it. */
    static final class SplitMix {
        private long state;

        SplitMix(long seed) {
            this.state = seed;
        }

        long next() {
            long z = (state += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        /** Uniform in [0, bound), from the top 31 bits. */
        int below(int bound) {
            return (int) ((next() >>> 33) % bound);
        }

        /** Uniform in (0, 1]. */
        double unit() {
            return ((next() >>> 11) + 1) * 0x1.0p-53;
        }
    }

    static int[] uniform(long seed, int from, int to) {
        SplitMix random = new SplitMix(seed);
        int[] table = new int[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            table[i] = from + random.below(to - from);
        }
        return table;
    }

    static int[] pareto(long seed) {
        SplitMix random = new SplitMix(seed);
        int[] table = new int[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            double size = 16.0 * Math.pow(random.unit(), -1.0 / 1.1);
            table[i] = (int) Math.min(1024.0, size);
        }
        return table;
    }

    static int[] churn(long seed) {
        SplitMix random = new SplitMix(seed);
        int[] table = new int[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            int kind = random.below(1000);
            table[i] = kind < 800 ? 16 + random.below(496)
                    : kind < 980 ? 512 + random.below(16384 - 512)
                    : 16384 + random.below((512 << 10) - 16384);
        }
        return table;
    }
}
