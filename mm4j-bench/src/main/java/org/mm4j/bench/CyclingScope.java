package org.mm4j.bench;

import org.mm4j.heap.HandleScope;
import org.mm4j.heap.Heap;

/**
 * A handle scope that {@link #tick} closes and opens anew every {@code period} ticks, as a request
 * handler would per batch of work: what a benchmark's operations obtain stays a root until then. For one
 * thread; its state lives across JMH invocations, so the trial's tear-down closes it.
 */
final class CyclingScope implements AutoCloseable {
    private final Heap heap;
    private final int period;
    private HandleScope scope;
    private int ticks;

    @SuppressWarnings("MustBeClosedChecker") // this object owns the scope; close() closes it
    CyclingScope(Heap heap, int period) {
        this.heap = heap;
        this.period = period;
        this.scope = heap.openHandleScope();
    }

    /** One operation more; every {@code period}-th closes the scope, dropping its handles, and opens another. */
    @SuppressWarnings("MustBeClosedChecker") // as in the constructor
    void tick() {
        if (++ticks == period) {
            scope.close();
            scope = heap.openHandleScope();
            ticks = 0;
        }
    }

    @Override
    public void close() {
        scope.close();
    }
}
