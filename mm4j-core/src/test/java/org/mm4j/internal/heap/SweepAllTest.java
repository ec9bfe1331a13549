package org.mm4j.internal.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mm4j.heap.GarbageCollector;
import org.mm4j.heap.GlobalHandle;
import org.mm4j.heap.HandleScope;
import org.mm4j.heap.Heap;
import org.mm4j.heap.Kind;
import org.mm4j.heap.LongField;
import org.mm4j.heap.Type;

/** A full collection's sweep over many more dead objects than it looks at in one go. */
class SweepAllTest {
    private static final Type CELL = Type.struct("SweepAllCell").longField("value").build();
    private static final LongField VALUE = CELL.longField("value");
    private static final Type CELLS = Type.arrayOf("SweepAllCells", Kind.REF);

    @Test
    void aFullCollectionFreesTheDeadAFewIdsAtATimeAndKeepsEveryLiveOne() {
        int n = 3 * Sweeper.SWEEP_ALL_IDS + 1234;
        try (Heap heap = Heap.builder().name("sweep-all").collectorThreads(0).build();
                HandleScope _ = heap.openHandleScope();
                GlobalHandle root = heap.newGlobal(heap.allocateArray(CELLS, n))) {
            for (int i = 0; i < n; i++) {
                try (HandleScope _ = heap.openHandleScope()) {
                    long cell = heap.allocate(CELL);
                    heap.set(cell, VALUE, i);
                    heap.setRef(root.get(), i, cell);
                }
            }
            heap.gc().collect(GarbageCollector.OLD);
            long before = heap.stats().liveObjects();
            int dead = 0;
            for (int i = 0; i < n; i++) {
                if (i % 3 != 0) {
                    heap.setRef(root.get(), i, 0);
                    dead++;
                }
            }

            heap.gc().collect(GarbageCollector.OLD);

            assertEquals(before - dead, heap.stats().liveObjects());
            Sweeper sweeper = ((HeapImpl) heap).collector.sweeper;
            assertEquals(dead, sweeper.collectedObjects);
            assertTrue(sweeper.deadCapacity() <= Sweeper.SWEEP_ALL_IDS,
                    "the list of the dead grew to " + sweeper.deadCapacity() + " for " + dead + " dead objects");
            for (int i = 0; i < n; i += 3) {
                try (HandleScope _ = heap.openHandleScope()) {
                    assertEquals(i, heap.get(heap.getRef(root.get(), i), VALUE));
                }
            }
            heap.gc().verify();
        }
    }
}
