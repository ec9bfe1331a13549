package org.mm4j.internal.heap;

import java.util.concurrent.locks.LockSupport;
import org.mm4j.heap.GarbageCollector;

/**
 * A collector thread of one heap: a daemon that runs the cycle's concurrent work ({@link
 * Collector#backgroundStep}) — marking and sweeping slices inside the mutator protocol, the remark pause and
 * the one that ends the sweep, clearing the bitmap while idle — and sleeps when there is none. Started with the heap's first cycle; stopped when
 * the heap closes.
 */
final class CollectorThread extends Thread {
    private final HeapImpl heap;
    private final Collector collector;
    private final int index;
    volatile boolean stopping;

    CollectorThread(HeapImpl heap, Collector collector, int index) {
        super(GarbageCollector.THREAD_NAME_PREFIX + heap.name() + "-" + index);
        this.heap = heap;
        this.collector = collector;
        this.index = index;
        setDaemon(true);
    }

    @Override
    public void run() {
        Mutator m = heap.mutator();
        try {
            while (!stopping && !heap.isClosed()) {
                if (!collector.backgroundStep(m, index)) {
                    LockSupport.parkNanos(this, Collector.idleParkNanos());
                }
            }
        } catch (IllegalStateException e) {
            if (!heap.isClosed()) {
                throw e;
            }
            // the heap closed under a step: nothing left to collect
        }
    }
}
