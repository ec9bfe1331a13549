package org.mm4j.internal.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mm4j.heap.GlobalHandle;
import org.mm4j.heap.HandleScope;
import org.mm4j.heap.Heap;
import org.mm4j.heap.Kind;
import org.mm4j.heap.Type;

/** A marking batch's length: it takes many grey objects at once, but not many long arrays. */
class MarkingBatchTest {
    private static final Type CELL = Type.struct("BatchCell").longField("value").build();
    private static final Type CELLS = Type.arrayOf("BatchCells", Kind.REF);

    @Test
    @SuppressWarnings("MustBeClosedChecker") // the roots are closed at the end
    void aBatchOfLongArraysStopsAfterAboutAChunkOfSlotsAndLeavesTheRestGrey() {
        int arrays = 10;
        int length = 2000;
        try (Heap heap = Heap.builder().name("batch").collectorThreads(0).build()) {
            CycleSteps.setAutomatic(heap, false);
            List<GlobalHandle> roots = new ArrayList<>();
            for (int a = 0; a < arrays; a++) {
                try (HandleScope _ = heap.openHandleScope()) {
                    long array = heap.allocateArray(CELLS, length);
                    for (int i = 0; i < length; i++) {
                        heap.setRef(array, i, heap.allocate(CELL));
                    }
                    roots.add(heap.newGlobal(array));
                }
            }
            HeapImpl h = (HeapImpl) heap;
            assertEquals(CycleSteps.MARKING, CycleSteps.step(heap, 1), "the cycle starts, its roots grey");

            CycleSteps.markSlice(heap, Marking.BATCH); // a budget of a whole batch: the ten arrays fit in it

            long slots = h.marking.tracedSlots();
            assertTrue(slots > 0 && slots <= 2 * References.ARRAY_CHUNK,
                    "one batch read " + slots + " slots of " + arrays * length);
            while (CycleSteps.phase(heap) == CycleSteps.MARKING) {
                CycleSteps.step(heap, 1000);
            }
            assertEquals(arrays * (1L + length), h.marking.tracedObjects(),
                    "every array and cell traced, in later batches");
            for (GlobalHandle root : roots) {
                root.close();
            }
        }
    }
}
