package org.mm4j.heap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mm4j.os.MemoryLimitExceededException;

/** The heap's API: fields, arrays, scopes, globals, collections, and every misuse. */
@SuppressWarnings("MustBeClosedChecker") // scopes and handles opened and closed by hand on purpose
class HeapTest extends OpenHeapTest {
    static final Type PATIENT = Type.struct("Patient").longField("id").intField("age").doubleField("weight")
            .byteField("sex").booleanField("consent").shortField("ward").charField("grade").floatField("bmi")
            .bytesField("code", 8).refField("visits").build();
    static final LongField ID = PATIENT.longField("id");
    static final IntField AGE = PATIENT.intField("age");
    static final DoubleField WEIGHT = PATIENT.doubleField("weight");
    static final ByteField SEX = PATIENT.byteField("sex");
    static final BooleanField CONSENT = PATIENT.booleanField("consent");
    static final ShortField WARD = PATIENT.shortField("ward");
    static final CharField GRADE = PATIENT.charField("grade");
    static final FloatField BMI = PATIENT.floatField("bmi");
    static final BytesField CODE = PATIENT.bytesField("code");
    static final RefField VISITS = PATIENT.refField("visits");
    static final Type VISIT = Type.struct("Visit").intField("day").refField("next").build();
    static final IntField DAY = VISIT.intField("day");
    static final RefField NEXT = VISIT.refField("next");
    static final Type REFS = Type.arrayOf("Refs", Kind.REF);
    static final Type INTS = Type.arrayOf("Ints", Kind.INT);

    @Override
    Heap newHeap() {
        return Heap.builder().name("test").nurseryBytes(256 << 10).build();
    }

    @Test
    void everyFieldKindRoundTrips() {
        long p = heap.allocate(PATIENT);
        assertEquals(0, heap.get(p, AGE), "new objects are zeroed");
        assertEquals(0, heap.get(p, VISITS));
        heap.set(p, ID, 1234567890123L);
        heap.set(p, AGE, 42);
        heap.set(p, WEIGHT, 71.5);
        heap.set(p, SEX, (byte) 2);
        heap.set(p, CONSENT, true);
        heap.set(p, WARD, (short) -7);
        heap.set(p, GRADE, 'B');
        heap.set(p, BMI, 22.5f);
        heap.set(p, CODE, "E11.9".getBytes());
        long v = heap.allocate(VISIT);
        heap.set(v, DAY, 3);
        heap.set(p, VISITS, v);
        heap.gc().collect(); // everything moves (or is promoted) and must come back intact
        assertEquals(1234567890123L, heap.get(p, ID));
        assertEquals(42, heap.get(p, AGE));
        assertEquals(71.5, heap.get(p, WEIGHT));
        assertEquals(2, heap.get(p, SEX));
        assertTrue(heap.get(p, CONSENT));
        assertEquals(-7, heap.get(p, WARD));
        assertEquals('B', heap.get(p, GRADE));
        assertEquals(22.5f, heap.get(p, BMI));
        byte[] code = new byte[8];
        heap.get(p, CODE, code);
        assertArrayEquals(new byte[] {'E', '1', '1', '.', '9', 0, 0, 0}, code);
        assertEquals(v, heap.get(p, VISITS));
        assertEquals(3, heap.get(heap.get(p, VISITS), DAY));
        assertEquals(PATIENT, heap.typeOf(p));
        assertEquals(PATIENT.fixedBytes(), heap.sizeOf(p));
    }

    @Test
    void arraysRoundTripAndCheckBounds() {
        long ints = heap.allocateArray(INTS, 10);
        assertEquals(10, heap.length(ints));
        for (int i = 0; i < 10; i++) {
            heap.setInt(ints, i, i * i);
        }
        long refs = heap.allocateArray(REFS, 3);
        heap.setRef(refs, 1, ints);
        heap.gc().collect(GarbageCollector.YOUNG);
        assertEquals(81, heap.getInt(heap.getRef(refs, 1), 9));
        assertEquals(0, heap.getRef(refs, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> heap.getInt(ints, 10));
        assertThrows(IndexOutOfBoundsException.class, () -> heap.setInt(ints, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> heap.getLong(ints, 0), "wrong element kind");
        assertThrows(IllegalArgumentException.class, () -> heap.getInt(heap.allocate(VISIT), 0), "not an array");
        assertThrows(IllegalArgumentException.class, () -> heap.allocateArray(INTS, -1));
        assertThrows(IllegalArgumentException.class, () -> heap.allocateArray(PATIENT, 1));
        assertThrows(IllegalArgumentException.class, () -> heap.allocate(INTS));
        assertEquals(81, heap.getInt(ints, 9), "unchanged by the failed calls");
    }

    @Test
    void misuseThrowsBeforeAnyChange() {
        long p = heap.allocate(PATIENT);
        long v = heap.allocate(VISIT);
        heap.set(p, AGE, 7);
        IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class, () -> heap.set(v, AGE, 1));
        assertTrue(wrongType.getMessage().contains("Visit") && wrongType.getMessage().contains("age"),
                wrongType.getMessage());
        assertThrows(NullPointerException.class, () -> heap.get(0, AGE));
        assertThrows(StaleHandleException.class, () -> heap.get(p + (1L << 32), AGE), "a later generation");
        assertThrows(IllegalArgumentException.class, () -> heap.set(p, CODE, new byte[9]));
        assertThrows(IllegalArgumentException.class, () -> heap.get(p, CODE, new byte[7]));
        assertEquals(7, heap.get(p, AGE));
    }

    @Test
    void unreachableObjectsAreFreedAndTheirHandlesGoStale() {
        long kept;
        long lost;
        try (HandleScope inner = heap.openHandleScope()) {
            kept = inner.escape(heap.allocate(VISIT));
            lost = heap.allocate(VISIT);
            heap.set(lost, DAY, 5);
        }
        heap.gc().collect();
        assertTrue(heap.isLive(kept), "escaped to the outer scope");
        assertFalse(heap.isLive(lost));
        StaleHandleException e = assertThrows(StaleHandleException.class, () -> heap.get(lost, DAY));
        assertEquals(lost, e.handle());
        assertEquals(1, heap.stats().liveObjects());
    }

    @Test
    void youngObjectsReachableOnlyFromOldOnesSurvive() {
        long holder = heap.allocate(VISIT);
        heap.gc().collect(GarbageCollector.YOUNG);
        heap.gc().collect(GarbageCollector.YOUNG); // tenuring threshold 2: holder is old now
        long young;
        try (HandleScope inner = heap.openHandleScope()) {
            young = heap.allocate(VISIT);
            heap.set(young, DAY, 99);
            heap.set(holder, NEXT, young); // old -> young: the barrier remembers holder
        }
        heap.gc().verify();
        heap.gc().collect(GarbageCollector.YOUNG);
        assertTrue(heap.isLive(young));
        try (HandleScope inner = heap.openHandleScope()) {
            assertEquals(99, heap.get(heap.get(holder, NEXT), DAY));
        }
        heap.set(holder, NEXT, 0);
        heap.gc().collect(GarbageCollector.YOUNG);
        assertFalse(heap.isLive(young), "no longer referred to");
    }

    @Test
    void handleScopesNestAndCloseInOrder() {
        HandleScope outer = heap.openHandleScope();
        HandleScope inner = heap.openHandleScope();
        assertThrows(IllegalStateException.class, outer::close, "an inner scope is open");
        long h = heap.allocate(VISIT);
        inner.escape(h);
        assertThrows(IllegalStateException.class, () -> inner.escape(h), "one escape per scope");
        inner.close();
        outer.close();
        assertThrows(IllegalStateException.class, () -> inner.escape(h));
        HandleScope again = heap.openHandleScope(); // at the level outer had
        outer.close(); // closed already: nothing happens to the scope open there now
        inner.close();
        assertEquals(h, again.escape(h), "still open");
        again.close();
        assertThrows(IllegalStateException.class, () -> scope.escape(h), "the outermost has nowhere to escape to");
    }

    @Test
    void handlesNeedAnOpenScope() throws Exception {
        Thread t = new Thread(() -> assertThrows(IllegalStateException.class, () -> heap.allocate(VISIT)));
        List<Throwable> failures = new ArrayList<>();
        t.setUncaughtExceptionHandler((thread, e) -> failures.add(e));
        t.start();
        t.join();
        assertEquals(List.of(), failures);
        Thread other = new Thread(() -> assertThrows(WrongThreadException.class, scope::close));
        other.setUncaughtExceptionHandler((thread, e) -> failures.add(e));
        other.start();
        other.join();
        assertEquals(List.of(), failures);
    }

    @Test
    void globalRootsKeepObjectsUntilClosed() {
        GlobalHandle g;
        try (HandleScope inner = heap.openHandleScope()) {
            long v = heap.allocate(VISIT);
            heap.set(v, DAY, 11);
            g = heap.newGlobal(v);
        }
        heap.gc().collect();
        assertEquals(11, heap.get(g.get(), DAY));
        long h = g.get(); // now also held by the test's scope
        g.close();
        assertThrows(IllegalStateException.class, g::get);
        heap.gc().collect();
        assertTrue(heap.isLive(h), "the scope still holds it");
        scope.close();
        scope = heap.openHandleScope();
        heap.gc().collect();
        assertFalse(heap.isLive(h), "no root left");
    }

    @Test
    void globalsTheJvmCollectsStopBeingRoots() throws Exception {
        WeakGlobal weak;
        try (HandleScope inner = heap.openHandleScope()) {
            long v = heap.allocate(VISIT);
            weak = heap.newWeakGlobal(v, null);
            forgetGlobal(v);
        }
        for (int i = 0; i < 200 && !weak.isCleared(); i++) {
            System.gc();
            Thread.sleep(5);
            heap.gc().collect();
        }
        assertTrue(weak.isCleared(), "the JVM collected the global handle, so mm4j freed its object");
        weak.close();
    }

    private void forgetGlobal(long v) {
        heap.newGlobal(v);
    }

    @Test
    void weakGlobalsAreClearedWithACallback() {
        AtomicInteger called = new AtomicInteger();
        WeakGlobal weak;
        GlobalHandle strong;
        try (HandleScope inner = heap.openHandleScope()) {
            long a = heap.allocate(VISIT);
            long b = heap.allocate(VISIT);
            weak = heap.newWeakGlobal(a, called::incrementAndGet);
            strong = heap.newGlobal(b);
            try (WeakGlobal alsoB = heap.newWeakGlobal(b, called::incrementAndGet)) {
                heap.gc().collect();
                assertFalse(weak.isCleared());
            }
        }
        heap.gc().collect();
        assertTrue(weak.isCleared());
        assertEquals(0, weak.get());
        assertEquals(1, called.get(), "only the cleared one's callback ran");
        weak.close();
        strong.close();
    }

    @Test
    void collectionStatisticsAndCallbacks() {
        List<GarbageCollector.CollectionEvent> events = new ArrayList<>();
        heap.gc().addCallback(events::add);
        for (int i = 0; i < 20; i++) { // several nurseries' worth
            try (HandleScope inner = heap.openHandleScope()) {
                for (int j = 0; j < 1000; j++) {
                    heap.allocate(VISIT);
                }
            }
        }
        heap.gc().collect();
        CollectionStats young = heap.gc().stats(GarbageCollector.YOUNG);
        CollectionStats old = heap.gc().stats(GarbageCollector.OLD);
        assertTrue(young.collections() >= 2, young.toString());
        assertEquals(1, old.collections());
        assertTrue(young.collectedObjects() > 0 && young.maxPauseNanos() > 0, young.toString());
        assertEquals(GarbageCollector.CollectionEvent.Phase.START, events.get(0).phase());
        assertEquals(GarbageCollector.CollectionEvent.Phase.STOP, events.get(events.size() - 1).phase());
        assertEquals(2 * young.collections(), events.size());
    }

    @Test
    void freezeKeepsEverythingAndCollectionsLeaveItAlone() {
        long v = heap.allocate(VISIT);
        heap.set(v, DAY, 4);
        assertEquals(1, heap.gc().freeze());
        assertEquals(1, heap.gc().frozenCount());
        scope.close();
        scope = heap.openHandleScope();
        heap.gc().collect();
        assertTrue(heap.isLive(v), "frozen objects are never freed");
        assertEquals(4, heap.get(v, DAY));
        assertEquals(1, heap.gc().unfreeze());
        heap.gc().collect();
        assertFalse(heap.isLive(v));
    }

    @Test
    void theLimitIsEnforcedAndTheHeapStaysUsable() {
        try (Heap small = Heap.builder().name("small").nurseryBytes(256 << 10).limitBytes(24 << 20).build();
                HandleScope s = small.openHandleScope()) {
            List<GlobalHandle> roots = new ArrayList<>();
            Type big = Type.arrayOf("Big", Kind.LONG);
            assertThrows(MemoryLimitExceededException.class, () -> {
                while (true) {
                    try (HandleScope inner = small.openHandleScope()) {
                        roots.add(small.newGlobal(small.allocateArray(big, 100_000)));
                    }
                }
            });
            small.gc().verify();
            roots.forEach(GlobalHandle::close);
            small.gc().collect();
            long again = small.allocateArray(big, 100_000);
            assertEquals(100_000, small.length(again));
            small.gc().verify();
        }
    }

    @Test
    void largeObjectsGoToTheOldSpaceAtOnceAndAreCountedApart() {
        Type longs = Type.arrayOf("Readings", Kind.LONG);
        long large = heap.allocateArray(longs, 40_000); // 320 KB
        long small = heap.allocateArray(longs, 10);
        heap.setLong(large, 39_999, 5);
        HeapStats stats = heap.stats();
        assertEquals(1, stats.largeObjects());
        assertEquals(1, stats.oldObjects(), "the large one, allocated in the old space");
        assertEquals(1, stats.youngObjects());
        heap.gc().compact();
        assertEquals(5, heap.getLong(large, 39_999));
        assertEquals(10, heap.length(small));
    }

    @Test
    void promotionPastTheTriggerStartsAnOldCollection() throws InterruptedException {
        int count = 1_100_000; // ~18 MB of 16-byte objects: past the 16 MiB goal once promoted
        long holder = heap.allocateArray(REFS, count);
        for (int i = 0; i < count; i++) {
            try (HandleScope one = heap.openHandleScope()) {
                heap.setRef(holder, i, heap.allocate(VISIT));
            }
        }
        // no explicit collection ran: nursery-full minor collections promoted, one of them started an old
        // collection, and the collector thread finishes it
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (heap.gc().stats(GarbageCollector.OLD).collections() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(heap.gc().stats(GarbageCollector.OLD).collections() > 0, heap.gc().stats(GarbageCollector.OLD)
                .toString());
        assertEquals(count + 1, heap.stats().liveObjects());
    }

    @Test
    void closedHeapRefusesUse() {
        Heap other = Heap.builder().build();
        HandleScope s = other.openHandleScope();
        long v = other.allocate(VISIT);
        s.close();
        other.close();
        assertThrows(IllegalStateException.class, () -> other.get(v, DAY));
        assertThrows(IllegalStateException.class, other::openHandleScope);
        other.close(); // idempotent
    }

    @Test
    void bytesPerObjectAreReportedPerType() {
        for (int i = 0; i < 10; i++) {
            heap.allocate(PATIENT);
        }
        HeapStats stats = heap.stats();
        HeapStats.TypeStats patients = stats.byType().get(PATIENT);
        assertEquals(10, patients.objects());
        assertEquals(PATIENT.fixedBytes() + 16.0, patients.bytesPerObject());
        assertNotEquals(0, stats.committedBytes());
    }
}
