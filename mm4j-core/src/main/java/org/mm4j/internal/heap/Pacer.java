package org.mm4j.internal.heap;

/**
 * When old collections start, how much mutators help, and how big eden is: the collector's pacing, from
 * measured rates, as Go's collector paces itself.
 *
 * <h2>The goal and the trigger</h2>
 * A cycle should end before the old space reaches its <em>goal</em>: the bytes that survived the last
 * cycle times the growth factor (Go's {@code GOGC}; default 2, as {@code GOGC=100}), at least
 * {@link #MIN_GOAL}, and below the heap's limit (the budget's limit less the nursery, with a tenth to
 * spare). A cycle therefore starts at a <em>trigger</em> below the goal: early enough that, at the rate
 * the old space grew while the last cycle ran (promotion and old allocation, bytes per second) and for
 * as long as the last cycle took, it ends at the goal with a quarter of the distance to spare. The first
 * cycle, with nothing measured, starts at 70 % of the way from the last live size to the goal.
 *
 * <h2>Garbage as a trigger</h2>
 * The growth trigger alone lets garbage pile up when the growth factor is large: an old space that holds
 * steady while it turns over is not collected until promotion alone has doubled it. So a cycle also
 * starts when the garbage that the last cycles found, at the rate they found it (bytes freed per second
 * of the interval they covered), has by now likely built up to a quarter of the old space — the lesson of
 * CPython 3.14's incremental collector, withdrawn because cyclic garbage outgrew its pacing.
 *
 * <h2>Assists</h2>
 * While marking runs, a mutator that allocates is asked to trace a share of the remaining marking work
 * in proportion to the old space its allocation will bring (its eden bytes times the measured share of
 * eden that minor collections promote): the share is the remaining work over the remaining distance to
 * the goal (Go's assist ratio), so that marking ends by the goal even if collector threads fall behind or
 * there are none. With collector threads, a mutator assists only while the old space is past where it
 * should be for the work done so far. The remaining work is estimated by the objects the last cycle
 * traced (or the old space's objects, for the first).
 *
 * <h2>Eden</h2>
 * A minor collection's pause grows with eden's live objects. After each one, eden's usable size is
 * scaled by the pause target over the pause (within [1/2, 2] per step, and between {@link #MIN_EDEN}
 * and the whole of eden), aiming a minor collection at 60 % of the target.
 *
 * <p>Everything here is read and written with the world stopped or by the thread that holds the
 * collection lock, except the few volatile fields that mutators read to decide whether to act.
 */
final class Pacer {
    /** No automatic cycle before the old space holds this much. */
    static final long MIN_GOAL = 16L << 20;
    /** The smallest eden the pacer sets. */
    static final long MIN_EDEN = 256L << 10;
    private static final double FIRST_TRIGGER = 0.7;
    private static final double SPARE = 0.25;
    private static final double EDEN_AIM = 0.6;
    /** Garbage built up to this share of the old space starts a cycle. */
    private static final double GARBAGE_TRIGGER = 0.25;

    private final HeapImpl heap;
    private final long pauseTargetNanos;
    private volatile double growthFactor;

    /** Old bytes the last cycle left (or the last full collection). */
    private long liveBytes;
    private volatile long goal = MIN_GOAL;
    private volatile long trigger = (long) (MIN_GOAL * FIRST_TRIGGER);
    /** Measured while the last cycle ran: old-space growth (bytes/s) and the cycle's length. */
    private double growthRate = Double.NaN;
    private long lastCycleNanos;
    /** Garbage the last cycle found per second since the cycle before it started. */
    private double garbageRate;
    private long lastCycleEnd = System.nanoTime();
    private long previousCycleStart = System.nanoTime();

    // the current cycle
    private long cycleStart;
    private long oldAtStart;
    private long promotedDuringCycle;
    /** Objects the last cycle traced: the estimate of this one's work. */
    private long expectedWork;

    /** Eden bytes promoted per eden byte, from recent minor collections. */
    private double promotedShare = 0.05;

    Pacer(HeapImpl heap, long pauseTargetNanos, double growthFactor) {
        this.heap = heap;
        this.pauseTargetNanos = pauseTargetNanos;
        this.growthFactor = growthFactor;
    }

    double growthFactor() {
        return growthFactor;
    }

    void setGrowthFactor(double factor) {
        growthFactor = factor;
        setGoal(liveBytes);
    }

    long goal() {
        return goal;
    }

    long trigger() {
        return trigger;
    }

    long pauseTargetNanos() {
        return pauseTargetNanos;
    }

    // ------------------------------------------------------------------ starting cycles

    /** Whether a cycle should start now, for an old space of {@code oldBytes}. */
    boolean shouldStart(long oldBytes) {
        if (oldBytes >= trigger) {
            return true;
        }
        if (garbageRate <= 0 || oldBytes < MIN_GOAL / 2) {
            return false;
        }
        double garbage = garbageRate * (System.nanoTime() - lastCycleEnd) / 1e9;
        return garbage >= GARBAGE_TRIGGER * oldBytes;
    }

    void cycleStarted(long oldBytes, long oldObjects) {
        cycleStart = System.nanoTime();
        oldAtStart = oldBytes;
        promotedDuringCycle = 0;
        if (expectedWork == 0) {
            expectedWork = Math.max(1, oldObjects);
        }
    }

    /** Old-space growth while a cycle runs: promotion, old allocation. */
    void grewDuringCycle(long bytes) {
        promotedDuringCycle += bytes;
    }

    /**
     * A cycle ended with {@code oldBytes} left, having freed {@code freedBytes} and traced {@code traced}
     * objects: the measurements for the next goal and trigger.
     */
    void cycleEnded(long oldBytes, long freedBytes, long traced) {
        long now = System.nanoTime();
        lastCycleNanos = Math.max(1, now - cycleStart);
        growthRate = promotedDuringCycle * 1e9 / lastCycleNanos;
        long interval = Math.max(1, now - previousCycleStart);
        garbageRate = freedBytes * 1e9 / interval;
        previousCycleStart = cycleStart;
        lastCycleEnd = now;
        expectedWork = Math.max(1, traced);
        setGoal(oldBytes);
    }

    /** After a full collection: the old space holds {@code oldBytes}, all live. */
    void fullCollectionEnded(long oldBytes) {
        lastCycleEnd = System.nanoTime();
        setGoal(oldBytes);
    }

    private void setGoal(long live) {
        liveBytes = live;
        long g = Math.max(MIN_GOAL, (long) (live * growthFactor));
        long limit = heap.config.budget().limitBytes();
        if (limit != Long.MAX_VALUE) {
            long room = (long) ((limit - heap.nursery.bytes) * 0.9);
            g = Math.max(live + (1L << 20), Math.min(g, room));
        }
        goal = g;
        long t;
        if (Double.isNaN(growthRate)) {
            t = live + (long) ((g - live) * FIRST_TRIGGER);
        } else {
            double during = growthRate * lastCycleNanos / 1e9;
            t = g - (long) (during * (1 + SPARE));
        }
        long floor = live + (g - live) / 8;
        trigger = Math.max(floor, Math.min(g, t));
    }

    // ------------------------------------------------------------------ assists

    /**
     * The objects a mutator should trace now for bringing {@code oldGrowth} bytes to the old space (an old
     * allocation, or its share of eden's promotion), while marking runs with {@code traced} objects traced
     * so far; 0 if it need not help. {@code threads}: collector threads.
     */
    long assistWork(double oldGrowth, long oldBytes, long traced, int threads) {
        long remainingWork = Math.max(0, expectedWork - traced);
        if (remainingWork == 0) {
            return threads == 0 ? 64 : 0; // past the estimate: help finish, if nobody else does
        }
        if (threads > 0) {
            double done = (double) traced / expectedWork;
            long expectedOld = oldAtStart + (long) ((goal - oldAtStart) * done);
            if (oldBytes <= expectedOld) {
                return 0;
            }
        }
        long distance = Math.max(64 << 10, goal - oldBytes);
        return Math.max(64, (long) (oldGrowth * remainingWork / distance));
    }

    /** The old-space growth that taking {@code edenBytes} of eden brings, as minor collections promote. */
    double oldGrowthOfEden(long edenBytes) {
        return edenBytes * promotedShare;
    }

    // ------------------------------------------------------------------ eden

    /**
     * After a minor collection of {@code edenUsed} bytes of eden that promoted {@code promoted} bytes and
     * paused for {@code pauseNanos}: the eden size for the next one.
     */
    long edenAfterMinor(long edenUsed, long promoted, long pauseNanos, long currentEden, long maxEden) {
        if (edenUsed > 0) {
            promotedShare = 0.8 * promotedShare + 0.2 * ((double) promoted / edenUsed);
        }
        if (pauseNanos <= 0 || edenUsed < currentEden / 2) {
            return currentEden; // an explicit collection of a part-filled eden says little
        }
        double scale = EDEN_AIM * pauseTargetNanos / pauseNanos;
        scale = Math.max(0.5, Math.min(2.0, scale));
        long eden = (long) (currentEden * scale);
        return Math.max(Math.min(MIN_EDEN, maxEden), Math.min(maxEden, eden));
    }
}
