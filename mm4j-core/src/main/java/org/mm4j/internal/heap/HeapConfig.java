package org.mm4j.internal.heap;

import org.mm4j.os.MemoryBudget;

/**
 * A heap's settings, checked by {@link org.mm4j.heap.Heap.Builder}.
 *
 * @param name the heap's name
 * @param nurseryBytes the nursery's size (eden and two survivor spaces)
 * @param budget where the heap's memory is charged
 * @param maxObjects the id space
 * @param tenuringThreshold minor collections survived before promotion
 * @param pauseTargetNanos the pause the collector aims each of its pauses at
 * @param oldGrowthFactor how far the old space grows past what the last old collection left before the next
 *     one should have ended
 * @param collectorThreads threads that mark (and sweep) beside the mutators; 0: mutators do it all
 * @param hugePages whether the old space and the handle table are advised to use transparent huge pages
 */
public record HeapConfig(String name, long nurseryBytes, MemoryBudget budget, int maxObjects, int tenuringThreshold,
        long pauseTargetNanos, double oldGrowthFactor, int collectorThreads, boolean hugePages) {
    public static final long DEFAULT_NURSERY_BYTES = 8L << 20;
    public static final long MIN_NURSERY_BYTES = 256L << 10;
    public static final int DEFAULT_MAX_OBJECTS = 1 << 27;
    public static final int DEFAULT_TENURING_THRESHOLD = 2;
    /** Ages live in 4 header bits. */
    public static final int MAX_TENURING_THRESHOLD = 15;
    public static final long DEFAULT_PAUSE_TARGET_NANOS = 1_000_000;
    /** Below this, a pause cannot even stop the world reliably on a loaded machine. */
    public static final long MIN_PAUSE_TARGET_NANOS = 50_000;
    public static final double DEFAULT_OLD_GROWTH_FACTOR = 2.0;
    public static final int MAX_COLLECTOR_THREADS = 64;

    /** One collector thread per four processors, at least one: marking needs a core beside the mutators'. */
    public static int defaultCollectorThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 4);
    }

    /** Throws if {@code factor} is not a finite number of at least 1.1. */
    public static void checkGrowthFactor(double factor) {
        if (!(factor >= 1.1) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("growth factor must be a finite number >= 1.1: " + factor);
        }
    }

    /** Freed ids wait for this many later frees before reuse (fewer in a small id space). */
    static final int ID_REUSE_DELAY = 4096;

    /**
     * The reuse delay of a heap of {@code maxObjects} ids: {@link #ID_REUSE_DELAY}, but at most an eighth
     * of the id space. The ids waiting out the delay cannot be handed out, so a delay near the size of
     * the id space would keep freed ids from ever coming back.
     */
    static int idReuseDelay(int maxObjects) {
        return Math.min(ID_REUSE_DELAY, maxObjects / 8);
    }
}
