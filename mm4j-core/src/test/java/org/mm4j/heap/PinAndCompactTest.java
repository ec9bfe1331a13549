package org.mm4j.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mm4j.alloc.Seeds;
import org.mm4j.internal.heap.CycleSteps;

/** Pinned objects never move and stay alive; compaction moves the rest out of sparse pages. */
class PinAndCompactTest extends OpenHeapTest {
    static final Type SAMPLE = Type.struct("Sample").intField("day").doubleField("value").build();
    static final IntField DAY = SAMPLE.intField("day");
    static final DoubleField VALUE = SAMPLE.doubleField("value");
    static final Type DOUBLES = Type.arrayOf("Signal", Kind.DOUBLE);
    static final Type REFS = Type.arrayOf("Samples", Kind.REF);

    @Override
    Heap newHeap() {
        return Heap.builder().name("pins").nurseryBytes(512 << 10).build();
    }

    static LongStream seeds() {
        return Seeds.seeds(2);
    }

    @Test
    void aPinnedObjectNeverMovesAndShowsItsContents() {
        long signal = heap.allocateArray(DOUBLES, 4);
        heap.setDouble(signal, 2, 2.5);
        try (Pin pin = heap.pin(signal)) {
            long address = pin.segment().address();
            assertEquals(32, pin.segment().byteSize());
            assertEquals(2.5, pin.segment().getAtIndex(ValueLayout.JAVA_DOUBLE, 2));
            pin.segment().setAtIndex(ValueLayout.JAVA_DOUBLE, 3, -1.0); // as native code would
            heap.gc().collect(GarbageCollector.YOUNG);
            heap.gc().collect();
            heap.gc().compact();
            assertEquals(address, pin.segment().address(), "never moved");
            assertEquals(-1.0, heap.getDouble(signal, 3));
            assertEquals(2.5, pin.segment().getAtIndex(ValueLayout.JAVA_DOUBLE, 2));
        }
    }

    @Test
    @SuppressWarnings("MustBeClosedChecker") // pins closed by hand to test the count
    void pinnedObjectsStayAliveWithoutOtherRootsUntilTheLastPinCloses() {
        long sample;
        Pin first;
        Pin second;
        try (HandleScope inner = heap.openHandleScope()) {
            sample = heap.allocate(SAMPLE);
            heap.set(sample, DAY, 7);
            first = heap.pin(sample);
            second = heap.pin(sample);
            assertEquals(first.segment().address(), second.segment().address());
        }
        heap.gc().collect();
        assertTrue(heap.isLive(sample));
        first.close();
        heap.gc().collect();
        assertTrue(heap.isLive(sample), "one pin is still open");
        assertEquals(7, second.segment().get(ValueLayout.JAVA_INT, DAY.offset() - Type.HEADER_BYTES));
        second.close();
        second.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> second.segment().get(ValueLayout.JAVA_INT, 0),
                "the segment dies with the pin");
        heap.gc().collect();
        assertFalse(heap.isLive(sample));
    }

    @Test
    void aPinIsReleasedOnTheThreadThatTookIt() throws Exception {
        long sample = heap.allocate(SAMPLE);
        try (Pin pin = heap.pin(sample)) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread other = new Thread(() -> {
                try {
                    pin.close();
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            other.start();
            other.join();
            assertTrue(thrown.get() instanceof WrongThreadException, String.valueOf(thrown.get()));
        }
        assertThrows(StaleHandleException.class, () -> {
            try (Pin stale = heap.pin(sample + (1L << 32))) {
                stale.handle();
            }
        });
    }

    @ParameterizedTest
    @MethodSource("seeds")
    @SuppressWarnings("MustBeClosedChecker") // pins closed at the end
    void compactionFreesSparsePagesAndKeepsEveryObjectIntact(long seed) {
        Seeds.withSeed(seed, () -> {
            SplittableRandom random = new SplittableRandom(seed);
            int count = 200_000;
            long holder = heap.allocateArray(REFS, count);
            try (HandleScope inner = heap.openHandleScope()) {
                for (int i = 0; i < count; i++) {
                    try (HandleScope one = heap.openHandleScope()) {
                        long s = heap.allocate(SAMPLE);
                        heap.set(s, DAY, i);
                        heap.set(s, VALUE, i * 0.5);
                        heap.setRef(holder, i, s);
                    }
                }
            }
            heap.gc().collect(); // survivors promoted over the next collections
            heap.gc().collect(GarbageCollector.YOUNG);
            heap.gc().collect(GarbageCollector.YOUNG);
            List<Integer> kept = new ArrayList<>();
            List<Pin> pins = new ArrayList<>();
            List<Long> pinnedAt = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                if (random.nextInt(10) == 0) {
                    kept.add(i);
                    if (pins.size() < 8 && random.nextInt(500) == 0) {
                        try (HandleScope one = heap.openHandleScope()) {
                            Pin pin = heap.pin(heap.getRef(holder, i));
                            pins.add(pin);
                            pinnedAt.add(pin.segment().address());
                        }
                    }
                } else {
                    heap.setRef(holder, i, 0);
                }
            }
            heap.gc().collect();
            GarbageCollector.Compaction c = heap.gc().compact();
            assertTrue(c.pagesEvacuated() > 0 && c.movedObjects() > 0, c.toString());
            assertTrue(c.committedAfter() < c.committedBefore() * 0.6,
                    "fragmentation falls: " + c + " with " + kept.size() + " objects kept");
            heap.gc().verify();
            for (int k = 0; k < pins.size(); k++) {
                assertEquals(pinnedAt.get(k), pins.get(k).segment().address(), "pinned objects never move");
                pins.get(k).close();
            }
            try (HandleScope check = heap.openHandleScope()) {
                for (int i : kept) {
                    long s = heap.getRef(holder, i);
                    assertEquals(i, heap.get(s, DAY));
                    assertEquals(i * 0.5, heap.get(s, VALUE));
                }
            }
            assertEquals(kept.size() + 1, heap.stats().liveObjects());
        });
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void evacuationBetweenCyclesRunsInBoundedStepsWhileTheProgramChangesTheHeap(long seed) {
        Seeds.withSeed(seed, () -> {
            CycleSteps.setAutomatic(heap, false);
            SplittableRandom random = new SplittableRandom(seed);
            int count = 200_000;
            long holder = heap.allocateArray(REFS, count);
            for (int i = 0; i < count; i++) {
                try (HandleScope one = heap.openHandleScope()) {
                    long s = heap.allocate(SAMPLE);
                    heap.set(s, DAY, i);
                    heap.setRef(holder, i, s);
                }
            }
            heap.gc().collect(GarbageCollector.YOUNG);
            heap.gc().collect(GarbageCollector.YOUNG);
            boolean[] kept = new boolean[count];
            for (int i = 0; i < count; i++) {
                kept[i] = random.nextInt(10) == 0;
                if (!kept[i]) {
                    heap.setRef(holder, i, 0);
                }
            }
            heap.gc().collect(); // frees nine in ten: the old space is fragmented
            long before = heap.stats().committedBytes();
            CycleSteps.requestEvacuation(heap);
            int steps = 0;
            while (!CycleSteps.evacuate(heap, 256)) { // 256 slots a step
                steps++;
                int i = random.nextInt(count); // meanwhile: drop one, replace one, read one
                heap.setRef(holder, i, 0);
                kept[i] = false;
                int j = random.nextInt(count);
                try (HandleScope one = heap.openHandleScope()) {
                    long s = heap.allocate(SAMPLE);
                    heap.set(s, DAY, j);
                    heap.setRef(holder, j, s);
                    kept[j] = true;
                }
                if (steps % 64 == 0) {
                    heap.gc().collect(GarbageCollector.YOUNG);
                    heap.gc().verify();
                }
            }
            assertTrue(steps > 50, "many bounded steps: " + steps);
            heap.gc().verify();
            long after = heap.stats().committedBytes();
            assertTrue(after < before - (2L << 20), "committed memory falls: " + before + " -> " + after);
            try (HandleScope check = heap.openHandleScope()) {
                for (int i = 0; i < count; i++) {
                    long s = heap.getRef(holder, i);
                    assertEquals(kept[i], s != 0, "slot " + i);
                    if (s != 0) {
                        assertEquals(i, heap.get(s, DAY));
                    }
                }
            }
        });
    }
}
