package org.mm4j.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mm4j.heap.GarbageCollector;
import org.mm4j.heap.Heap;

/**
 * The churn workload's two implementations do the same thing: from one seed, the same records, the same
 * operations, the same census — mm4j's with its threads running at once and collections in between.
 * Seeded: a failure names its seed, and {@code -Dseed=N} replays it.
 */
class ChurnWorkloadTest {
    /** Operations per thread: enough for every kind many times over and, in a small nursery, collections. */
    private static final int OPERATIONS = 1000;

    static LongStream seeds() {
        Long replay = Long.getLong("seed");
        return replay != null ? LongStream.of(replay) : LongStream.of(1, 20251122, 0x5EED_CAFEL);
    }

    /** Fewer seeds for the test that builds heaps: it is the slow one. */
    static LongStream heapSeeds() {
        return seeds().limit(2);
    }

    @ParameterizedTest
    @MethodSource("heapSeeds")
    void bothImplementationsBuildAndChurnTheSameRecords(long seed) throws InterruptedException {
        try {
            for (int threads = 1; threads <= 2; threads++) {
                // With two threads, three pages: thread 0 owns two of them and thread 1 one.
                ChurnShape shape = new ChurnShape((2 * threads - 1) * ChurnShape.PAGE_SLOTS, threads);
                Heap heap = Heap.builder().name("churn-test").nurseryBytes(1 << 20).build();
                try (HeapChurn onHeap = new HeapChurn(heap, shape); JavaChurn java = new JavaChurn(shape)) {
                    long built = onHeap.build(new SplittableRandom(seed));
                    assertEquals(built, java.build(new SplittableRandom(seed)), "the build's keys");
                    assertEquals(new ChurnWorkload.Census(shape.records(), built, 0), onHeap.census());
                    assertEquals(onHeap.census(), java.census());

                    long mm4jKeys = built + churnConcurrently(onHeap, seed);
                    long javaKeys = built;
                    for (int t = 0; t < threads; t++) {
                        ChurnWorkload.Worker w = java.worker(t, new SplittableRandom(ChurnThreads.threadSeed(seed, t)));
                        for (int i = 0; i < OPERATIONS; i++) {
                            w.operate();
                        }
                        javaKeys += w.keyDelta();
                    }
                    assertEquals(mm4jKeys, javaKeys, "the operations' keys");
                    heap.gc().collect(GarbageCollector.OLD);
                    heap.gc().verify();
                    ChurnWorkload.Census census = onHeap.census();
                    assertEquals(java.census(), census, threads + " threads");
                    assertNull(census.disagreement(shape, mm4jKeys));
                    assertTrue(heap.gc().stats(GarbageCollector.YOUNG).collections() > 0, "no collection was tested");
                    assertEquals(shape.objects(), heap.stats().liveObjects(), "records, pages and directory");
                }
            }
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("failed with seed " + seed + " (replay with -Dseed=" + seed + ")", e);
        }
    }

    /** Runs every worker of {@code workload} on a thread of its own at once; returns their key deltas' sum. */
    private static long churnConcurrently(ChurnWorkload workload, long seed) throws InterruptedException {
        List<ChurnWorkload.Worker> workers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int t = 0; t < workload.shape().threads(); t++) {
            ChurnWorkload.Worker w = workload.worker(t, new SplittableRandom(ChurnThreads.threadSeed(seed, t)));
            workers.add(w);
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < OPERATIONS; i++) {
                        w.operate();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("a worker failed", failure.get());
        }
        return workers.stream().mapToLong(ChurnWorkload.Worker::keyDelta).sum();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void aRecordWithAChangedFieldFailsItsCheck(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ChurnRecords.Patient patient = new ChurnRecords.Patient().derive(random.nextLong());
        ChurnRecords.Visit visit = new ChurnRecords.Visit().derive(random.nextLong());
        ChurnRecords.Lab lab = new ChurnRecords.Lab().derive(random.nextLong());
        assertTrue(patient.isIntact() && visit.isIntact() && lab.isIntact());
        patient.weight += 1;
        visit.ward++;
        lab.flag = (byte) (lab.flag == 'N' ? 'H' : 'N');
        assertFalse(patient.isIntact(), "patient, seed " + seed);
        assertFalse(visit.isIntact(), "visit, seed " + seed);
        assertFalse(lab.isIntact(), "lab, seed " + seed);
        assertEquals(new ChurnRecords.Patient().derive(patient.id).admitted, patient.admitted, "derived from the key");
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void eachThreadDrawsOnlyItsOwnPages(long seed) {
        ChurnShape shape = new ChurnShape(5 * ChurnShape.PAGE_SLOTS, 2);
        SplittableRandom random = new SplittableRandom(seed);
        ChurnShape.Op op = new ChurnShape.Op();
        int[] kinds = new int[3];
        for (int i = 0; i < 3000; i++) {
            int thread = i % 2;
            op.draw(random, shape, thread);
            assertEquals(thread, op.page % 2, "page " + op.page + " of thread " + thread);
            assertTrue(op.page < shape.pages() && op.slot < ChurnShape.PAGE_SLOTS);
            assertTrue(op.visit < ChurnShape.VISITS && op.lab < ChurnShape.LABS);
            kinds[op.kind]++;
        }
        assertTrue(kinds[ChurnShape.Op.REPLACE_LAB] > kinds[ChurnShape.Op.REPLACE_PATIENT], "half are labs");
        assertTrue(kinds[ChurnShape.Op.REPLACE_PATIENT] > 0 && kinds[ChurnShape.Op.REPLACE_VISIT] > 0);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void aCensusThatDisagreesSaysHow(long seed) {
        ChurnShape shape = new ChurnShape(ChurnShape.PAGE_SLOTS, 1);
        long records = shape.records();
        assertNull(new ChurnWorkload.Census(records, seed, 0).disagreement(shape, seed));
        assertTrue(new ChurnWorkload.Census(records - 1, seed, 0).disagreement(shape, seed).contains("records"));
        assertTrue(new ChurnWorkload.Census(records, seed, 2).disagreement(shape, seed).contains("2 damaged"));
        assertTrue(new ChurnWorkload.Census(records, seed + 1, 0).disagreement(shape, seed).contains("key sum"));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void theShapeFollowsTheLiveSet(long seed) {
        long perGroup = HeapChurn.bytesPerGroup();
        assertTrue(perGroup > 1000 && perGroup < 1300, "about 90 bytes a record: " + perGroup);
        long live = (1L << 30) + Math.floorMod(seed, 1L << 20);
        ChurnShape shape = ChurnShape.forLiveBytes(live, perGroup, 2);
        assertEquals(0, shape.groups() % ChurnShape.PAGE_SLOTS);
        assertTrue(shape.groups() * perGroup <= live && (shape.groups() + ChurnShape.PAGE_SLOTS) * perGroup > live);
        assertEquals(ChurnShape.PAGE_SLOTS * 2, ChurnShape.forLiveBytes(1, perGroup, 2).groups(), "a page a thread");
        assertEquals(shape.pages(), shape.pagesOf(0) + shape.pagesOf(1));
        assertThrows(IllegalArgumentException.class, () -> new ChurnShape(ChurnShape.PAGE_SLOTS, 2));
        assertThrows(IllegalArgumentException.class, () -> new ChurnShape(ChurnShape.PAGE_SLOTS + 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new ChurnShape(ChurnShape.PAGE_SLOTS, 3));
    }
}
