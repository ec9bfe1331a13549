package org.mm4j.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.mm4j.internal.heap.CycleSteps;

/** Scopes: lifetimes, escapes, promotion, the collector's view of them, threads. */
@SuppressWarnings("MustBeClosedChecker") // scopes opened and closed by hand on purpose
class ScopeTest extends OpenHeapTest {
    static final Type NODE = Type.struct("ScopeNode").intField("value").refField("next").refField("other").build();
    static final IntField VALUE = NODE.intField("value");
    static final RefField NEXT = NODE.refField("next");
    static final RefField OTHER = NODE.refField("other");
    static final Type REFS = Type.arrayOf("ScopeRefs", Kind.REF);
    static final Type LONGS = Type.arrayOf("ScopeLongs", Kind.LONG);

    @Override
    Heap newHeap() {
        return Heap.builder().name("scopes").nurseryBytes(256 << 10).build();
    }

    @Test
    void objectsLiveUntilTheScopeClosesThenEveryHandleIsStale() {
        long a;
        long b;
        long array;
        try (Scope s = heap.openScope()) {
            a = s.allocate(NODE);
            b = s.allocate(NODE);
            array = s.allocateArray(LONGS, 100);
            heap.set(a, VALUE, 7);
            heap.set(a, NEXT, b);
            heap.setLong(array, 99, -5);
            heap.gc().collect(GarbageCollector.OLD);
            heap.gc().collect(GarbageCollector.YOUNG);
            assertEquals(7, heap.get(a, VALUE), "collections neither move nor free scoped objects");
            assertEquals(b, heap.get(a, NEXT));
            assertEquals(-5, heap.getLong(array, 99));
            assertEquals(3, s.objectCount());
            assertTrue(heap.isLive(a));
            heap.gc().verify();
        }
        for (long h : new long[] {a, b, array}) {
            assertFalse(heap.isLive(h));
            assertThrows(StaleHandleException.class, () -> heap.typeOf(h));
        }
        assertThrows(StaleHandleException.class, () -> heap.get(a, VALUE));
        assertThrows(StaleHandleException.class, () -> heap.getLong(array, 0));
        heap.gc().collect(); // gives the ids back: still stale, now as freed ids
        assertThrows(StaleHandleException.class, () -> heap.get(a, VALUE));
    }

    @Test
    void rawBuffersAreZeroedAlignedAndClosedWithTheScope() {
        MemorySegment buffer;
        try (Scope s = heap.openScope()) {
            buffer = s.allocate(4096, 256);
            assertEquals(0, buffer.address() % 256);
            assertEquals(0, buffer.get(ValueLayout.JAVA_LONG, 4088));
            buffer.set(ValueLayout.JAVA_LONG, 8, 42);
            MemorySegment ints = s.allocateFrom(ValueLayout.JAVA_INT, 1, 2, 3); // SegmentAllocator's defaults work
            assertEquals(3, ints.getAtIndex(ValueLayout.JAVA_INT, 2));
            assertEquals(42, buffer.get(ValueLayout.JAVA_LONG, 8));
        }
        assertFalse(buffer.scope().isAlive());
        assertThrows(IllegalStateException.class, () -> buffer.get(ValueLayout.JAVA_LONG, 8));
    }

    @Test
    void scopedObjectsKeepTheCollectedHeapsObjectsAlive() {
        try (Scope s = heap.openScope()) {
            long holder = s.allocate(NODE);
            long refs = s.allocateArray(REFS, 4);
            long young;
            try (HandleScope inner = heap.openHandleScope()) {
                young = heap.allocate(NODE);
                heap.set(young, VALUE, 11);
                heap.set(holder, NEXT, young); // scoped → heap: allowed, and remembered (young target)
                long other = heap.allocate(NODE);
                heap.set(other, VALUE, 12);
                heap.setRef(refs, 3, other);
            }
            heap.gc().verify();
            heap.gc().collect(GarbageCollector.YOUNG); // only the scope keeps them
            heap.gc().verify();
            heap.gc().collect(GarbageCollector.OLD);
            assertEquals(11, heap.get(heap.get(holder, NEXT), VALUE));
            assertEquals(12, heap.get(heap.getRef(refs, 3), VALUE));
            // churn the nursery so that the remembered set is rebuilt several times
            for (int i = 0; i < 20_000; i++) {
                try (HandleScope churn = heap.openHandleScope()) {
                    heap.allocate(NODE);
                }
            }
            assertEquals(11, heap.get(heap.get(holder, NEXT), VALUE));
            heap.gc().verify();
        }
        HeapStats before = heap.stats();
        heap.gc().collect(GarbageCollector.OLD);
        assertTrue(heap.stats().liveObjects() <= before.liveObjects() - 2,
                "after the scope closed, the objects only it kept are collected");
    }

    @Test
    void nestedScopesMayReferOutwardsButNotInwards() {
        try (Scope outer = heap.openScope()) {
            long o = outer.allocate(NODE);
            try (Scope inner = heap.openScope()) {
                assertSame(outer, inner.parent());
                long i = inner.allocate(NODE);
                heap.set(i, NEXT, o); // inner → outer: fine
                heap.set(i, OTHER, i); // within the scope: fine
                long heapObject = heap.allocate(NODE);
                heap.set(i, VALUE, 3);
                ScopeEscapeException e = assertThrows(ScopeEscapeException.class, () -> heap.set(o, NEXT, i));
                assertTrue(e.getMessage().contains("promote"), e.getMessage());
                assertEquals(0, heap.get(o, NEXT), "nothing stored");
                assertThrows(ScopeEscapeException.class, () -> heap.set(heapObject, NEXT, i));
                assertThrows(ScopeEscapeException.class, () -> heap.set(heapObject, NEXT, o));
                assertThrows(IllegalStateException.class, outer::close, "inner scopes close first");
                assertTrue(outer.isOpen());
                heap.gc().verify();
            }
            assertTrue(heap.isLive(o));
        }
    }

    @Test
    void everyEscapePathIsRefused() {
        long globalTarget;
        try (Scope s = heap.openScope()) {
            long obj = s.allocate(NODE);
            globalTarget = obj;
            long heapArray = heap.allocateArray(REFS, 2);
            assertThrows(ScopeEscapeException.class, () -> heap.setRef(heapArray, 1, obj), "array store");
            assertEquals(0, heap.getRef(heapArray, 1));
            assertThrows(ScopeEscapeException.class, () -> heap.newGlobal(obj), "global");
            assertThrows(ScopeEscapeException.class, () -> heap.newWeakGlobal(obj, null), "weak global");
            // the test's handle scope was opened before this scope: registering there would outlive it
            assertThrows(ScopeEscapeException.class, () -> heap.newLocal(obj), "outer handle scope");
            try (HandleScope inner = heap.openHandleScope()) {
                assertEquals(obj, heap.newLocal(obj), "a handle scope opened inside the scope may hold it");
                assertThrows(ScopeEscapeException.class, () -> inner.escape(obj), "escape to an outer handle scope");
            }
        }
        assertFalse(heap.isLive(globalTarget));
    }

    @Test
    void handleScopesOpenedInsideAScopeMayEscapeWithinIt() {
        try (Scope s = heap.openScope(); HandleScope outerHandles = heap.openHandleScope()) {
            long obj = s.allocate(NODE);
            try (HandleScope inner = heap.openHandleScope()) {
                assertEquals(obj, inner.escape(obj));
            }
            assertEquals(0, heap.get(obj, VALUE));
            assertTrue(outerHandles != null);
        }
    }

    @Test
    void promoteCopiesWhatTheObjectReachesInTheScopeToTheCollectedHeap() {
        long keep;
        long outside = heap.allocate(NODE);
        heap.set(outside, VALUE, 99);
        try (Scope s = heap.openScope()) {
            long a = s.allocate(NODE);
            long b = s.allocate(NODE);
            long list = s.allocateArray(REFS, 3);
            heap.set(a, VALUE, 1);
            heap.set(b, VALUE, 2);
            heap.set(a, NEXT, b);
            heap.set(b, NEXT, a); // a cycle
            heap.set(a, OTHER, list);
            heap.setRef(list, 0, b);
            heap.setRef(list, 2, outside);
            keep = s.promote(a);
            assertNotEquals(a, keep);
            assertEquals(1, heap.get(keep, VALUE));
            heap.set(a, VALUE, 100); // the original is separate
            assertEquals(1, heap.get(keep, VALUE));
        }
        heap.gc().collect(GarbageCollector.OLD);
        heap.gc().verify();
        long b = heap.get(keep, NEXT);
        assertEquals(2, heap.get(b, VALUE));
        assertEquals(keep, heap.get(b, NEXT), "the cycle is kept among the copies");
        long list = heap.get(keep, OTHER);
        assertEquals(b, heap.getRef(list, 0), "sharing is kept: one copy per object");
        assertEquals(0, heap.getRef(list, 1));
        assertEquals(outside, heap.getRef(list, 2), "references out of the scope are kept as they are");
        assertEquals(99, heap.get(heap.getRef(list, 2), VALUE));
    }

    @Test
    void promoteFromANestedScopeGoesToTheEnclosingOne() {
        try (Scope outer = heap.openScope()) {
            long holder = outer.allocate(NODE);
            long copy;
            try (Scope inner = heap.openScope()) {
                long a = inner.allocate(NODE);
                long b = inner.allocate(NODE);
                heap.set(a, NEXT, b);
                heap.set(b, VALUE, 5);
                heap.set(a, OTHER, holder);
                copy = inner.promote(a);
                heap.set(holder, NEXT, copy); // now an object of the outer scope: storable there
                assertThrows(IllegalArgumentException.class, () -> outer.promote(a) , "not an object of outer");
            }
            assertTrue(heap.isLive(copy));
            assertEquals(5, heap.get(heap.get(copy, NEXT), VALUE));
            assertEquals(holder, heap.get(copy, OTHER));
            assertEquals(2, outer.objectCount() - 1);
            heap.gc().verify();
        }
    }

    @Test
    void confinedScopesRefuseOtherThreadsAndSharedOnesServeThem() throws Exception {
        try (Scope confined = heap.openScope(); Scope shared = heap.openSharedScope()) {
            long c = confined.allocate(NODE);
            MemorySegment buffer = confined.allocate(64);
            long s = shared.allocate(NODE);
            heap.set(s, VALUE, 5);
            CompletableFuture<Object> other = CompletableFuture.supplyAsync(() -> {
                assertThrows(WrongThreadException.class, () -> heap.get(c, VALUE));
                assertThrows(WrongThreadException.class, () -> confined.allocate(NODE));
                assertThrows(WrongThreadException.class, () -> buffer.get(ValueLayout.JAVA_BYTE, 0));
                assertThrows(WrongThreadException.class, confined::close);
                assertEquals(5, heap.get(s, VALUE));
                long mine = shared.allocate(NODE);
                heap.set(mine, NEXT, s);
                heap.set(mine, VALUE, 6);
                return mine;
            });
            long fromOther = (Long) other.get();
            assertEquals(6, heap.get(fromOther, VALUE));
            assertEquals(s, heap.get(fromOther, NEXT));
            assertTrue(confined.isOpen());
        }
    }

    @Test
    void aSharedScopeMayBeClosedByAnotherThread() throws Exception {
        Scope shared = heap.openSharedScope();
        long obj = shared.allocate(NODE);
        CompletableFuture.runAsync(shared::close).get();
        assertFalse(shared.isOpen());
        assertThrows(StaleHandleException.class, () -> heap.get(obj, VALUE));
        try (Scope next = heap.openScope()) {
            assertNull(next.parent(), "the closed scope is not the new one's parent");
        }
    }

    @Test
    void sharedScopesAreNeverNested() {
        try (Scope confined = heap.openScope(); Scope shared = heap.openSharedScope()) {
            assertNull(shared.parent(), "not nested in the confined scope");
            long c = confined.allocate(NODE);
            long s = shared.allocate(NODE);
            assertThrows(ScopeEscapeException.class, () -> heap.set(s, NEXT, c));
            assertThrows(ScopeEscapeException.class, () -> heap.set(c, NEXT, s));
            try (Scope inner = heap.openScope()) {
                assertSame(confined, inner.parent(), "nor encloses the next confined scope");
            }
            shared.close(); // nothing nested in it, so it closes before the confined scope
            assertTrue(confined.isOpen());
        }
    }

    @Test
    void pinningAScopedObjectGivesASegmentThatDiesWithTheScope() {
        MemorySegment contents;
        try (Scope s = heap.openScope()) {
            long array = s.allocateArray(LONGS, 8);
            heap.setLong(array, 3, 33);
            try (Pin pin = heap.pin(array)) {
                contents = pin.segment();
                assertEquals(33, contents.getAtIndex(ValueLayout.JAVA_LONG, 3));
                contents.setAtIndex(ValueLayout.JAVA_LONG, 4, 44);
            }
            assertEquals(44, heap.getLong(array, 4));
        }
        assertThrows(IllegalStateException.class, () -> contents.getAtIndex(ValueLayout.JAVA_LONG, 3));
    }

    @Test
    void closedScopesIdsComeBackSoScopesCanChurnForever() {
        try (Heap small = Heap.builder().name("small").maxObjects(20_000).nurseryBytes(256 << 10).build()) {
            for (int round = 0; round < 50; round++) {
                try (Scope s = small.openScope()) {
                    for (int i = 0; i < 1_000; i++) {
                        s.allocate(NODE); // 50,000 objects in all through a 20,000-id table
                    }
                }
            }
            try (HandleScope hs = small.openHandleScope()) {
                small.allocate(NODE);
            }
            small.gc().verify();
        }
    }


    @Test
    void closedScopesIdsComeBackAChunkPerPause() {
        long[] objects = new long[30_000];
        try (Scope s = heap.openScope()) {
            for (int i = 0; i < objects.length; i++) {
                objects[i] = s.allocate(NODE);
            }
        }
        assertEquals(objects.length, CycleSteps.pendingScopeIds(heap));
        heap.gc().collect(GarbageCollector.YOUNG);
        long left = CycleSteps.pendingScopeIds(heap);
        assertTrue(left > 0 && left < objects.length, "one minor collection gave back a chunk: " + left + " left");
        for (long h : objects) {
            assertFalse(heap.isLive(h), "stale whether its id came back or not");
        }
        heap.gc().verify();
        for (int pauses = 0; CycleSteps.pendingScopeIds(heap) > 0; pauses++) {
            assertTrue(pauses < objects.length, "each pause gives some back");
            heap.gc().collect(GarbageCollector.YOUNG);
        }
        for (long h : objects) {
            assertFalse(heap.isLive(h));
        }
        heap.gc().verify();
        try (Scope again = heap.openScope()) { // numbers and ids reused
            assertEquals(7, heap.get(setValue(again.allocate(NODE), 7), VALUE));
        }
    }

    private long setValue(long object, int value) {
        heap.set(object, VALUE, value);
        return object;
    }
    @Test
    void misuseIsRefusedAndTheScopeStaysUsable() {
        try (Scope s = heap.openScope()) {
            assertThrows(NullPointerException.class, () -> s.allocate((Type) null));
            assertThrows(IllegalArgumentException.class, () -> s.allocate(REFS));
            assertThrows(IllegalArgumentException.class, () -> s.allocateArray(NODE, 3));
            assertThrows(IllegalArgumentException.class, () -> s.allocateArray(REFS, -1));
            assertThrows(IllegalArgumentException.class, () -> s.allocate(0));
            assertThrows(IllegalArgumentException.class, () -> s.allocate(8, 3));
            long heapObject = heap.allocate(NODE);
            assertThrows(IllegalArgumentException.class, () -> s.promote(heapObject));
            assertEquals(0, s.objectCount());
            long ok = s.allocate(NODE);
            heap.set(ok, VALUE, 1);
            assertEquals(1, heap.get(ok, VALUE));
        }
        Scope closed = heap.openScope();
        closed.close();
        closed.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> closed.allocate(NODE));
        assertThrows(IllegalStateException.class, () -> closed.allocate(16));
    }

    @Test
    void aGigabyteBufferIsCommittedAsTouchedAndReturnedAtClose() {
        long gib = 1L << 30;
        long rssBefore = org.mm4j.os.ProcessMemory.residentSetBytes();
        long rssInside;
        try (Scope s = heap.openScope()) {
            MemorySegment genome = s.allocate(gib);
            for (long off = 0; off < gib; off += 4096) { // touch every page
                genome.set(ValueLayout.JAVA_BYTE, off, (byte) (off >>> 12));
            }
            assertEquals((byte) (12345), genome.get(ValueLayout.JAVA_BYTE, 12345L * 4096));
            rssInside = org.mm4j.os.ProcessMemory.residentSetBytes();
            // the process's resident set: the rest of the JVM (its heap, the JIT) may give some back meanwhile
            assertTrue(rssInside - rssBefore > gib * 3 / 4, "inside: " + rssInside + " before: " + rssBefore);
        }
        long rssAfter = org.mm4j.os.ProcessMemory.residentSetBytes();
        assertTrue(rssInside - rssAfter > gib * 3 / 4, "after: " + rssAfter + " inside: " + rssInside);
    }

    @Test
    void promotionToTheHeapNeedsAHandleScopeAndChangesNothingWithout() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try (Scope s = heap.openScope()) {
                long a = s.allocate(NODE);
                assertThrows(IllegalStateException.class, () -> s.promote(a), "no handle scope on this thread");
                assertEquals(1, s.objectCount());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join();
        if (failure.get() != null) {
            throw new ExecutionException(failure.get());
        }
    }
}
