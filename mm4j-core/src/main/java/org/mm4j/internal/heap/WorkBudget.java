package org.mm4j.internal.heap;

/**
 * How much work one slice of marking or sweeping may do: a number of units (objects traced, slots read,
 * ids swept) and a deadline, checked every {@value #CHECK_EVERY} units, between steps of work; a slice
 * that runs concurrently with mutators also ends as soon as a collector asks to stop the world, so that a
 * pause waits for one step of it at most (a marking batch reads about {@link References#ARRAY_CHUNK}
 * slots at most, a sweep step looks at {@link Sweeper#STEP} ids). Tests give unit budgets and no deadline, so that slices are
 * deterministic.
 */
final class WorkBudget {
    static final int CHECK_EVERY = 64;

    private final HeapImpl heap;
    private long deadline;
    private final boolean yieldToStop;
    private long unitsLeft;
    private int sinceCheck;
    private long used;

    private WorkBudget(HeapImpl heap, long unitsLeft, long deadline, boolean yieldToStop) {
        this.heap = heap;
        this.unitsLeft = unitsLeft;
        this.deadline = deadline;
        this.yieldToStop = yieldToStop;
    }

    /** Work inside a pause: up to {@code nanos} (and {@code units}). */
    static WorkBudget inPause(long units, long nanos) {
        return new WorkBudget(null, units, deadline(nanos), false);
    }

    /**
     * A thread's budget for its slices of work beside running mutators, each begun with {@link #restart}: up
     * to a number of units and a time, and never past a stop request. One per thread, reused: a slice every
     * millisecond would otherwise allocate a budget each on the Java heap.
     */
    static WorkBudget forSlices(HeapImpl heap) {
        return new WorkBudget(heap, 0, Long.MAX_VALUE, true);
    }

    /** Begins a slice of this budget ({@link #forSlices}): up to {@code units} and {@code nanos}; returns it. */
    WorkBudget restart(long units, long nanos) {
        unitsLeft = units;
        deadline = deadline(nanos);
        sinceCheck = 0;
        used = 0;
        return this;
    }

    /** Exactly {@code units}, no deadline and no yielding: a test's deterministic step. */
    static WorkBudget units(long units) {
        return new WorkBudget(null, units, Long.MAX_VALUE, false);
    }

    /** No limit: a full collection's marking and sweeping. */
    static WorkBudget unlimited() {
        return new WorkBudget(null, Long.MAX_VALUE, Long.MAX_VALUE, false);
    }

    private static long deadline(long nanos) {
        return nanos == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + nanos;
    }

    /** Counts {@code units} of work done; returns true when the slice must end. */
    boolean spend(int units) {
        used += units;
        unitsLeft -= units;
        if (unitsLeft <= 0) {
            return true;
        }
        sinceCheck += units;
        if (sinceCheck < CHECK_EVERY) {
            return false;
        }
        sinceCheck = 0;
        return (yieldToStop && heap.stopRequested)
                || (deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0);
    }

    /** Units left before the slice must end (the deadline aside). */
    long unitsLeft() {
        return unitsLeft;
    }

    /** Units spent so far. */
    long used() {
        return used;
    }
}
