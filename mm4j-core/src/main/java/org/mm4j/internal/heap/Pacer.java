package org.mm4j.internal.heap;

import java.util.function.LongSupplier;

/**
 * When old collections start, how much mutators help, and how big eden is: the collector's pacing, from
 * measured rates, as Go's collector paces itself.
 *
 * <h2>The goal and the trigger</h2>
 * A cycle should end before the old space reaches its <em>goal</em>: the bytes that survived the last
 * cycle times the growth factor (Go's {@code GOGC}; default 2, as {@code GOGC=100}), at least
 * {@link #MIN_GOAL}, and below the heap's limit: at most nine tenths of the room the budget leaves the
 * old space to grow (its free bytes and the old space's freed slots, less a whole nursery's promotion). A
 * cycle therefore starts at a <em>trigger</em> below the goal: early enough that, at the rate the old
 * space grew while the last cycle ran (promotion and old allocation, bytes per second, measured as the
 * old bytes at its end plus those it freed less those at its start) and for as long as the last cycle
 * took (scaled by the old objects now over those it traced), it ends at the goal with a quarter of the
 * distance to spare. A cycle also starts when the
 * budget's free bytes fall below that growth plus a nursery's promotion, whatever the old bytes: the
 * budget pays for the handle table and fragmentation too. The first
 * cycle, with nothing measured, starts at 70 % of the way from the last live size to the goal.
 *
 * <h2>Garbage as a trigger</h2>
 * The growth trigger alone lets garbage pile up to the goal: an old space that holds steady while it
 * turns over is not collected until promotion alone has grown it by the growth factor, less the runway.
 * So a cycle also starts when the garbage that the last cycles found, at the rate they found it (bytes
 * freed per second of the interval they covered), has by now likely built up to half the room the growth
 * factor gives ({@link #GARBAGE_TRIGGER}: with the default 2, half the live set) — the lesson of
 * CPython 3.14's incremental collector, withdrawn because cyclic garbage outgrew its pacing. Tied to the
 * growth factor, the trigger leaves one setting to trade memory for collector CPU: a smaller factor
 * collects more often on either trigger.
 *
 * <h2>Assists</h2>
 * While marking runs, a mutator that allocates is asked to trace a share of the remaining marking work
 * in proportion to the old space its allocation will bring (its eden bytes times the measured share of
 * eden that minor collections promote): the share is the remaining work over half the remaining distance
 * to the goal (Go's assist ratio, aimed halfway: see {@link #ASSIST_AIM}), so that marking ends well
 * before the goal even if collector threads fall behind or there are none. With collector threads, a mutator assists only while the old space is past where it
 * should be for the work done so far. The work is estimated by the old objects when the cycle started
 * (an upper bound: assists err on the side of finishing early), and never counted as done before the
 * remark.
 *
 * <h2>Eden</h2>
 * A minor collection's pause grows with eden's live objects. Eden's usable size starts at
 * {@link #INITIAL_EDEN}; after each minor collection it is scaled by the pause target over the pause
 * (within [1/2, 2] per step, and between {@link #MIN_EDEN} and the whole of eden), aiming a minor
 * collection at 40 % of the target.
 *
 * <p>Everything here is read and written with the world stopped or by the thread that holds the
 * collection lock, except the few volatile fields that mutators read to decide whether to act.
 */
final class Pacer {
    /** No automatic cycle before the old space holds this much. */
    static final long MIN_GOAL = 16L << 20;
    /**
     * Eden's size before the first minor collection has been measured: a whole eden of survivors (a
     * program building its data) would make the first pause tens of milliseconds.
     */
    static final long INITIAL_EDEN = 1L << 20;
    /**
     * The smallest eden the pacer sets: two thread buffers. Where nearly everything in eden survives,
     * a minor collection costs about 300-400 ns per surviving object (copy, promotion, the handle-table
     * lookups of their referents), so the pause target, not a floor, should decide eden's size.
     */
    static final long MIN_EDEN = 64L << 10;
    private static final double FIRST_TRIGGER = 0.7;
    private static final double SPARE = 0.25;
    /**
     * Eden is sized so that a minor collection takes this share of the pause target: the others aim at a
     * third of it, and minor collections vary more (survivors), so that the pauses' p99 stays within half.
     */
    private static final double EDEN_AIM = 0.4;
    /**
     * Assists aim to finish marking this far along the distance to the goal: the rest of the runway is
     * for sweeping, and for the garbage made while marking ran (new objects are black, so it lives until
     * the next cycle), without which a cycle paced to end at the goal would leave the next none.
     */
    private static final double ASSIST_AIM = 0.5;
    /** The goal stays this share of the room to grow below the heap's limit. */
    private static final double LIMIT_MARGIN = 0.1;
    /**
     * Garbage built up to this share of the growth factor's room (the live bytes times the factor less
     * one) starts a cycle. At 2 GiB live in {@code bench gc} (growth factor 2), a quarter of the old space
     * (a third of the live set) took 12.0 % of the CPU over ten cycles in 480 s; half the live set, 8.8 %
     * over seven, with the RSS peak 3.81 GiB against 3.42 (the tuning guide).
     */
    private static final double GARBAGE_TRIGGER = 0.5;

    private final HeapImpl heap;
    private final LongSupplier clock;
    private final long pauseTargetNanos;
    private volatile double growthFactor;

    /** Old bytes the last cycle left (or the last full collection). */
    private long liveBytes;
    /** The growth factor's goal, set when a cycle ends. */
    private long baseGoal = MIN_GOAL;
    /** The goal and trigger now: the growth factor's, lowered near the heap's limit ({@link #refresh}). */
    private volatile long goal = baseGoal;
    private volatile long trigger = (long) (MIN_GOAL * FIRST_TRIGGER);
    /** Measured while the last cycle ran: old-space growth (bytes/s) and the cycle's length. */
    private double growthRate = Double.NaN;
    private long lastCycleNanos;
    /** Garbage the last cycle found per second since the cycle before it started. */
    private double garbageRate;
    private long lastCycleEnd;
    private long previousCycleStart;

    // the current cycle
    private long cycleStart;
    private long oldAtStart;
    /** The old objects when this cycle started: its work, at most (the estimate assists pace by). */
    private long expectedWork = 1;
    /** Objects the last cycle traced. */
    private long lastTraced = 1;

    /** Eden bytes promoted per eden byte, from recent minor collections. */
    private double promotedShare = 0.05;

    Pacer(HeapImpl heap, long pauseTargetNanos, double growthFactor) {
        this(heap, pauseTargetNanos, growthFactor, System::nanoTime);
    }

    /** With the time read from {@code clock} (nanoseconds; tests). */
    Pacer(HeapImpl heap, long pauseTargetNanos, double growthFactor, LongSupplier clock) {
        this.heap = heap;
        this.pauseTargetNanos = pauseTargetNanos;
        this.growthFactor = growthFactor;
        this.clock = clock;
        this.lastCycleEnd = clock.getAsLong();
        this.previousCycleStart = lastCycleEnd;
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
        refresh(oldBytes);
        if (oldBytes >= trigger) {
            return true;
        }
        if (garbageRate <= 0 || oldBytes < MIN_GOAL / 2) {
            return false;
        }
        double garbage = garbageRate * (clock.getAsLong() - lastCycleEnd) / 1e9;
        return garbage >= GARBAGE_TRIGGER * (growthFactor - 1) * Math.max(liveBytes, MIN_GOAL / 2);
    }

    void cycleStarted(long oldBytes, long oldObjects) {
        cycleStart = clock.getAsLong();
        oldAtStart = oldBytes;
        expectedWork = Math.max(1, oldObjects);
    }

    /**
     * A cycle ended with {@code oldBytes} left, having freed {@code freedBytes} and traced {@code traced}
     * objects: the measurements for the next goal and trigger.
     */
    void cycleEnded(long oldBytes, long freedBytes, long traced) {
        long now = clock.getAsLong();
        lastCycleNanos = Math.max(1, now - cycleStart);
        long grown = Math.max(0, oldBytes + freedBytes - oldAtStart); // promoted and allocated old meanwhile
        growthRate = grown * 1e9 / lastCycleNanos;
        long interval = Math.max(1, now - previousCycleStart);
        garbageRate = freedBytes * 1e9 / interval;
        previousCycleStart = cycleStart;
        lastCycleEnd = now;
        lastTraced = Math.max(1, traced);
        setGoal(oldBytes);
    }

    /** After a full collection: the old space holds {@code oldBytes}, all live. */
    void fullCollectionEnded(long oldBytes) {
        lastCycleEnd = clock.getAsLong();
        setGoal(oldBytes);
    }

    /** The growth factor's goal and trigger for an old space that holds {@code live} bytes after a cycle. */
    private void setGoal(long live) {
        liveBytes = live;
        baseGoal = Math.max(MIN_GOAL, (long) (live * growthFactor));
        refresh(live);
    }

    /**
     * How long the next cycle will likely take: as long as the last, scaled by the old objects there are
     * now over those it traced (a cycle's length grows with what it traces).
     */
    private double cycleNanosEstimate() {
        return lastCycleNanos * Math.max(1.0, (double) heap.oldObjects.get() / lastTraced);
    }

    /** The trigger for a cycle that should end at {@code goal}, from an old space of {@code live} bytes. */
    private long triggerFor(long live, long goal) {
        long t;
        if (Double.isNaN(growthRate)) {
            t = live + (long) ((goal - live) * FIRST_TRIGGER);
        } else {
            t = goal - (long) (growthRate * cycleNanosEstimate() / 1e9 * (1 + SPARE));
        }
        long floor = live + (goal - live) / 8;
        return Math.max(Math.min(floor, goal), Math.min(goal, t));
    }

    /**
     * The goal and trigger now, for an old space of {@code oldBytes}: the growth factor's, lowered where
     * the heap's limit is nearer. Evaluated at every minor collection, because what the budget pays for
     * beside the old objects (the handle table, whose entries garbage keeps until a cycle frees them,
     * scopes, fragmentation) grows between cycles.
     */
    private void refresh(long oldBytes) {
        long g = baseGoal;
        long t = triggerFor(liveBytes, baseGoal);
        if (heap.config.budget().limitBytes() != Long.MAX_VALUE) {
            long limitGoal = oldBytes + (long) (roomToGrow(oldBytes) * (1 - LIMIT_MARGIN) / budgetPerOldByte());
            if (limitGoal < g) {
                g = Math.max(oldBytes + (1L << 20), limitGoal);
                t = Math.min(t, triggerFor(Math.min(liveBytes, oldBytes), limitGoal));
            }
        }
        goal = g;
        trigger = t;
    }

    /**
     * How far the old space can grow from {@code oldBytes} before the heap reaches its limit, in budget
     * bytes: the budget's free bytes, plus the old space's committed bytes that hold no object (freed
     * slots, filled again before new pages are taken), less the worst case of promoting the whole
     * nursery.
     */
    private long roomToGrow(long oldBytes) {
        long available = heap.config.budget().availableBytes();
        long freeCommitted = Math.max(0, heap.old.ownCommittedBytes() - oldBytes);
        return Math.max(0, available + freeCommitted - (heap.nursery.bytes + heap.nursery.bytes / 4));
    }

    /** Budget bytes an old byte costs as the old space grows: the object's, and its handle-table entry's. */
    private double budgetPerOldByte() {
        long bytes = heap.oldBytes.get();
        return bytes <= 0 ? 1 : 1 + (double) HandleTable.ENTRY_BYTES * heap.oldObjects.get() / bytes;
    }

    // ------------------------------------------------------------------ assists

    /**
     * The objects a mutator should trace now for bringing {@code oldGrowth} bytes to the old space (an old
     * allocation, or its share of eden's promotion), while marking runs with {@code traced} objects traced
     * so far; 0 if it need not help. {@code threads}: collector threads.
     */
    long assistWork(double oldGrowth, long oldBytes, long traced, int threads) {
        long remainingWork = Math.max(expectedWork / 20, expectedWork - traced); // never quite done before remark
        if (threads > 0) {
            double done = (double) traced / expectedWork;
            long expectedOld = oldAtStart + (long) ((goal - oldAtStart) * done);
            if (oldBytes <= expectedOld) {
                return 0;
            }
        }
        long distance = Math.max(64 << 10, (long) ((goal - oldBytes) * ASSIST_AIM));
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
