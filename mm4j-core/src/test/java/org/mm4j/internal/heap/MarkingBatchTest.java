package org.mm4j.internal.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.mm4j.heap.GlobalHandle;
import org.mm4j.heap.HandleScope;
import org.mm4j.heap.Heap;
import org.mm4j.heap.Kind;
import org.mm4j.heap.Type;

/**
 * A marking batch's length: it takes many grey objects at once, but not many long arrays; and grey work
 * shared in packets of {@link Marking#PACKET} ids, an array's continuation never split between two.
 */
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

    @Test
    @SuppressWarnings("MustBeClosedChecker") // the roots are closed at the end
    void aContinuationAtAPacketsEndGoesWholeIntoTheNextPacket() {
        int length = 3000;
        int from = 1024; // the continuation's slot: the array's rest, from there
        try (Heap heap = Heap.builder().name("packets").collectorThreads(0).build()) {
            CycleSteps.setAutomatic(heap, false);
            List<GlobalHandle> roots = new ArrayList<>();
            Set<Integer> cells = new TreeSet<>();
            int arrayId;
            try (HandleScope _ = heap.openHandleScope()) {
                long array = heap.allocateArray(CELLS, length);
                for (int i = 0; i < length; i++) {
                    heap.setRef(array, i, heap.allocate(CELL));
                }
                roots.add(heap.newGlobal(array));
                arrayId = Heap.idOf(array);
                for (int i = 0; i < Marking.PACKET - 1; i++) {
                    long cell = heap.allocate(CELL);
                    roots.add(heap.newGlobal(cell));
                    cells.add(Heap.idOf(cell));
                }
            }
            HeapImpl h = (HeapImpl) heap;
            assertEquals(CycleSteps.MARKING, CycleSteps.step(heap, 1), "the cycle starts, its roots grey");
            CycleSteps.markSlice(heap, Integer.MAX_VALUE); // everything marked and traced: no grey work left
            long objects = h.marking.tracedObjects();
            long slots = h.marking.tracedSlots();

            // a tracing stack of PACKET - 1 grey cells, then the array's continuation: its slot index is the
            // stack's PACKET-th item, its id the next, so that a packet cut at PACKET items would split them
            Mutator m = h.enter();
            try {
                for (int id : cells) {
                    m.markStack.push(id);
                }
                m.markStack.push(from);
                m.markStack.push(~arrayId);
                h.marking.publish(m.markStack);
            } finally {
                h.exit(m);
            }
            Set<Integer> grey = new TreeSet<>();
            h.marking.forEachGrey(grey::add);
            Set<Integer> expected = new TreeSet<>(cells);
            expected.add(arrayId);
            Set<Integer> extra = new TreeSet<>(grey);
            extra.removeAll(expected);
            Set<Integer> missing = new TreeSet<>(expected);
            missing.removeAll(grey);
            assertEquals("[] []", extra + " " + missing,
                    "grey ids shared that are not the cells or the array (its slot index?), and ids missing");

            CycleSteps.markSlice(heap, Integer.MAX_VALUE);
            assertEquals(Marking.PACKET, h.marking.tracedObjects() - objects, "the cells and the array's rest traced");
            assertEquals(length - from, h.marking.tracedSlots() - slots, "the array read from its continuation's slot on");
            for (GlobalHandle root : roots) {
                root.close();
            }
        }
    }
}
