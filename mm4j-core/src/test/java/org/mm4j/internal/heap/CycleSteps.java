package org.mm4j.internal.heap;

import org.mm4j.heap.Heap;

/**
 * Test access to the old collection's cycle (see {@link Marking}): turning its automatic work off,
 * stepping it by hand, and reading its phase and counters. For tests in other packages of the module.
 */
public final class CycleSteps {
    public static final int IDLE = Marking.IDLE;
    public static final int MARKING = Marking.MARKING;
    public static final int SWEEPING = Marking.SWEEPING;

    private CycleSteps() {}

    private static Collector collector(Heap heap) {
        return ((HeapImpl) heap).collector;
    }

    /** Turns automatic cycle work off (no automatic start, assist, or collector-thread step), or on. */
    public static void setAutomatic(Heap heap, boolean on) {
        collector(heap).setAutomatic(on);
    }

    /** Every minor collection starts a cycle when none runs. */
    public static void setContinuous(Heap heap, boolean on) {
        collector(heap).setContinuous(on);
    }

    /** One step of at most {@code units} work on the calling thread; returns the phase after it. */
    public static int step(Heap heap, int units) {
        return collector(heap).step(units);
    }

    /** While marking: one marking slice of at most {@code units} objects on the calling thread, no remark. */
    public static void markSlice(Heap heap, int units) {
        HeapImpl h = (HeapImpl) heap;
        Mutator m = h.enter();
        try {
            if (h.marking.phase() == Marking.MARKING) {
                h.marking.slice(m, WorkBudget.units(units));
            }
        } finally {
            h.exit(m);
        }
    }

    /**
     * While marking: one marking slice of at most {@code units} objects on the calling thread that keeps
     * the grey work it leaves on the thread's stack (as a heap's only collector thread does), no remark.
     */
    public static void markSliceKeepingWork(Heap heap, int units) {
        HeapImpl h = (HeapImpl) heap;
        Mutator m = h.enter();
        try {
            if (h.marking.phase() == Marking.MARKING) {
                h.marking.slice(m, WorkBudget.units(units), true);
            }
        } finally {
            h.exit(m);
        }
    }

    /** Whether the mark bitmap still holds the last cycle's marks (not cleared yet). */
    public static boolean marksDirty(Heap heap) {
        return ((HeapImpl) heap).marking.isDirty();
    }

    /** The cycle's phase now (a racy read, exact when only the caller steps the cycle). */
    public static int phase(Heap heap) {
        return ((HeapImpl) heap).marking.phase();
    }

    /** Asks for an evacuation of the old space's sparse pages, as a cycle that left it fragmented does. */
    public static void requestEvacuation(Heap heap) {
        collector(heap).requestEvacuation();
    }

    /** One evacuation step of at most {@code units} slots on the calling thread; true when it ended. */
    public static boolean evacuate(Heap heap, int units) {
        HeapImpl h = (HeapImpl) heap;
        Mutator m = h.enter();
        try {
            return h.collector.evacuate(m, true, WorkBudget.units(units));
        } finally {
            h.exit(m);
        }
    }

    /** Ids of closed scopes not yet given back to the handle table. */
    public static long pendingScopeIds(Heap heap) {
        return ((HeapImpl) heap).scopes.pendingIds();
    }

    /** The old-space size at which the pacer starts the next cycle. */
    public static long trigger(Heap heap) {
        return collector(heap).pacer.trigger();
    }

    /** The old-space size by which the pacer wants the next cycle to have ended. */
    public static long goal(Heap heap) {
        return collector(heap).pacer.goal();
    }

    /** Cycles started. */
    public static long started(Heap heap) {
        return ((HeapImpl) heap).marking.started();
    }

    /** Cycles that ended: completed, or abandoned by a full collection. */
    public static long ended(Heap heap) {
        return collector(heap).cycles() + ((HeapImpl) heap).marking.abandoned();
    }

    /** Cycles completed. */
    public static long completed(Heap heap) {
        return collector(heap).cycles();
    }

    /** What the collector knows of an object: space, mark, header flags; for failure messages. */
    public static String describe(Heap heap, long handle) {
        HeapImpl h = (HeapImpl) heap;
        return h.collector.withWorldStopped(self -> {
            int id = Heap.idOf(handle);
            if (!h.table.isLive(handle)) {
                return "#" + id + " not live";
            }
            long a = h.table.addressOf(id);
            long header = ObjectHeader.read(HeapImpl.VIEW, a);
            return "#" + id + (h.nursery.contains(a) ? " young" : " old") + (h.marking.isMarked(id) ? " marked" : " unmarked")
                    + ", header flags 0x" + Integer.toHexString(ObjectHeader.flags(header)) + ", age "
                    + ObjectHeader.age(header) + ", phase " + h.marking.phase() + ", started " + h.marking.started();
        });
    }

    /**
     * Runs {@code body} on the calling thread inside one operation of {@code heap}, as if the thread were
     * descheduled in the middle of one: a pause waits for it, or gives up.
     */
    public static void insideOperation(Heap heap, Runnable body) {
        HeapImpl h = (HeapImpl) heap;
        Mutator m = h.enter();
        try {
            body.run();
        } finally {
            h.exit(m);
        }
    }

    /** Optional pauses given up in a row, after which the next one waits for the program to stop. */
    public static final int MAX_STOPS_GIVEN_UP = Collector.MAX_STOPS_GIVEN_UP;

    /** Remark pauses that let marking go on concurrently. */
    public static long remarksResumed(Heap heap) {
        return collector(heap).remarksResumed();
    }
}
