package org.mm4j.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Minor collections: long arrays of references remembered by cards, and tenuring that adapts to how
 * much of the survivor space survives.
 */
@SuppressWarnings("MustBeClosedChecker") // handle scopes opened and closed by hand on purpose
class MinorCollectionTest extends OpenHeapTest {
    static final Type NODE = Type.struct("MinorNode").intField("value").refField("next").build();
    static final IntField VALUE = NODE.intField("value");
    static final RefField NEXT = NODE.refField("next");
    static final Type REFS = Type.arrayOf("MinorRefs", Kind.REF);

    @Override
    Heap newHeap() {
        return Heap.builder().name("minor").nurseryBytes(4 << 20).build();
    }

    /** Slots in several cards of a long old array: the first, one mid-card, the last of a partial card. */
    @Test
    void youngObjectsHeldOnlyByCardsOfALongOldArraySurvive() {
        long array = heap.allocateArray(REFS, 3001); // above the nursery's object limit: old at once
        int[] slots = {0, 15, 16, 1000, 2047, 3000};
        for (int i = 0; i < slots.length; i++) {
            try (HandleScope inner = heap.openHandleScope()) {
                long node = heap.allocate(NODE);
                heap.set(node, VALUE, 100 + i);
                heap.setRef(array, slots[i], node); // the barrier remembers the slot's card only
            }
        }
        heap.gc().verify(); // checks that each card holding a young reference is remembered
        for (int round = 0; round < 3; round++) { // copied to a survivor, then promoted
            heap.gc().collect(GarbageCollector.YOUNG);
            heap.gc().verify();
            for (int i = 0; i < slots.length; i++) {
                try (HandleScope inner = heap.openHandleScope()) {
                    assertEquals(100 + i, heap.get(heap.getRef(array, slots[i]), VALUE), "slot " + slots[i]);
                }
            }
        }
        long young = heap.allocate(NODE); // held by the test's handle scope
        heap.setRef(array, 2999, young);
        heap.setRef(array, 2999, 0);
        heap.gc().collect(GarbageCollector.YOUNG);
        assertTrue(heap.isLive(young), "held by the local handle");
        heap.gc().verify();
    }

    @Test
    void aYoungObjectDroppedFromACardDies() {
        long array = heap.allocateArray(REFS, 4096);
        long young;
        try (HandleScope inner = heap.openHandleScope()) {
            young = heap.allocate(NODE);
            heap.setRef(array, 2500, young);
        }
        heap.gc().collect(GarbageCollector.YOUNG);
        assertTrue(heap.isLive(young));
        heap.setRef(array, 2500, 0);
        heap.gc().collect(GarbageCollector.YOUNG);
        assertFalse(heap.isLive(young), "its card no longer refers to it");
        heap.gc().verify();
    }

    /** A list of {@code count} new nodes, held by {@code root}'s next field at its head. */
    private void prepend(long root, int count) {
        for (int i = 0; i < count; i++) {
            try (HandleScope inner = heap.openHandleScope()) {
                long node = heap.allocate(NODE);
                heap.set(node, NEXT, heap.get(root, NEXT));
                heap.set(root, NEXT, node);
            }
        }
    }

    /**
     * Old garbage of a pretenured type in a heap with a limit and no old collection of its own (the cycle's
     * automatic work off): when the limit is reached, a full collection frees the garbage (its memory and
     * its ids) and allocation goes on, 800,000 objects in a limit that holds fewer than half of them.
     */
    @Test
    void whenOldGarbageReachesTheLimitAFullCollectionFreesItAndAllocationGoesOn() {
        try (Heap h = Heap.builder().name("ids").nurseryBytes(1 << 20).limitBytes(24L << 20).collectorThreads(0)
                .build()) {
            org.mm4j.internal.heap.CycleSteps.setAutomatic(h, false);
            try (HandleScope s = h.openHandleScope()) {
                long root = h.allocate(NODE);
                for (int round = 0; round < 40; round++) { // each round's list replaces the last: old garbage
                    h.set(root, NEXT, 0);
                    for (int i = 0; i < 20_000; i++) {
                        try (HandleScope inner = h.openHandleScope()) {
                            long node = h.allocate(NODE);
                            h.set(node, VALUE, i);
                            h.set(node, NEXT, h.get(root, NEXT));
                            h.set(root, NEXT, node);
                        }
                    }
                    if (round < 4) { // four collections where all survive: NODE is allocated old from now on
                        h.gc().collect(GarbageCollector.YOUNG);
                    }
                }
                int count = 0;
                for (long n = h.get(root, NEXT); n != 0; n = h.get(n, NEXT)) {
                    count++;
                }
                assertEquals(20_000, count);
            }
            assertTrue(h.gc().stats(GarbageCollector.OLD).collections() > 0, "a full collection ran");
            h.gc().verify();
        }
    }

    @Test
    void whenSurvivorsKeepSurvivingTheyArePromotedAtTheirFirstCollection() {
        long root = heap.allocate(NODE);
        int batch = 8000; // ~190 KiB of nodes: well above the sample tenuring acts on
        prepend(root, batch);
        heap.gc().collect(GarbageCollector.YOUNG); // the batch survives into the survivor space
        assertTrue(heap.stats().youngObjects() >= batch, "copied to a survivor space first");
        prepend(root, batch);
        heap.gc().collect(GarbageCollector.YOUNG); // the first batch all survives again: promoted by age
        prepend(root, batch);
        heap.gc().collect(GarbageCollector.YOUNG); // tenuring adapted: survivors promoted at once
        assertEquals(0, heap.stats().youngObjects(), "everything live promoted");
        assertEquals(3L * batch + 1, heap.stats().oldObjects());
        heap.gc().verify();
    }

    @Test
    void whenSurvivorsDieTheyStayYoung() {
        long root = heap.allocate(NODE);
        int batch = 8000;
        for (int round = 0; round < 4; round++) {
            heap.set(root, NEXT, 0); // the last batch dies
            prepend(root, batch);
            heap.gc().collect(GarbageCollector.YOUNG);
            assertTrue(heap.stats().youngObjects() >= batch, "round " + round + ": the new batch stays young");
        }
        heap.gc().verify();
    }

    @Test
    void aTypeWhoseYoungObjectsAllSurviveIsAllocatedOld() {
        long root = heap.allocate(NODE);
        for (int round = 0; round < 4; round++) { // four collections in a row where all of them survive
            prepend(root, 2000);
            heap.gc().collect(GarbageCollector.YOUNG);
        }
        long young = heap.stats().youngObjects();
        prepend(root, 1000);
        assertEquals(young, heap.stats().youngObjects(), "new nodes are allocated old");
        heap.gc().verify();
        int count = 0;
        for (long n = heap.get(root, NEXT); n != 0; n = heap.get(n, NEXT)) {
            count++;
        }
        assertEquals(9000, count, "every node reachable");
    }

    @Test
    void aTypeWhoseObjectsDieYoungStaysYoung() {
        long root = heap.allocate(NODE);
        for (int round = 0; round < 8; round++) {
            heap.set(root, NEXT, 0); // the last batch dies before the collection
            prepend(root, 2000);
            heap.set(root, NEXT, 0);
            heap.gc().collect(GarbageCollector.YOUNG);
        }
        long young = heap.stats().youngObjects();
        prepend(root, 1000);
        assertEquals(young + 1000, heap.stats().youngObjects(), "new nodes are young");
    }
}
