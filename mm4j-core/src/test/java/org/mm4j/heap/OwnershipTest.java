package org.mm4j.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Unique and reference-counted objects and buffers, in the collected heap and in scopes. */
@SuppressWarnings("MustBeClosedChecker") // owners moved and closed by hand on purpose
class OwnershipTest extends OpenHeapTest {
    static final Type RECORD = Type.struct("OwnedRecord").longField("mrn").refField("notes").build();
    static final LongField MRN = RECORD.longField("mrn");
    static final RefField NOTES = RECORD.refField("notes");

    @Override
    Heap newHeap() {
        return Heap.builder().name("owned").nurseryBytes(256 << 10).build();
    }

    @Test
    void aUniqueObjectMovesAndIsFreedByItsLastOwner() {
        Unique first = heap.allocateUnique(RECORD);
        long before = first.handle();
        heap.set(before, MRN, 1001);
        heap.gc().collect(); // a root while owned
        Unique second = first.move();
        assertFalse(first.isOpen());
        assertThrows(IllegalStateException.class, first::handle);
        assertThrows(IllegalStateException.class, first::move);
        assertThrows(StaleHandleException.class, () -> heap.get(before, MRN), "handles from before the move");
        long after = second.handle();
        assertNotEquals(before, after);
        assertEquals(1001, heap.get(after, MRN), "the object itself stays");
        first.close(); // a moved owner frees nothing
        assertTrue(heap.isLive(after));
        long objectsBefore = heap.stats().liveObjects();
        second.close();
        assertFalse(heap.isLive(after));
        assertEquals(objectsBefore - 1, heap.stats().liveObjects(), "freed at close, not at a collection");
        second.close(); // idempotent
    }

    @Test
    void noObjectMayReferToAnOwnedOneButItMayReferToOthers() {
        try (Unique u = heap.allocateUnique(RECORD); Shared s = heap.allocateShared(RECORD)) {
            long holder = heap.allocate(RECORD);
            assertThrows(ScopeEscapeException.class, () -> heap.set(holder, NOTES, u.handle()));
            assertThrows(ScopeEscapeException.class, () -> heap.set(holder, NOTES, s.handle()));
            assertEquals(0, heap.get(holder, NOTES));
            assertThrows(ScopeEscapeException.class, () -> heap.newGlobal(u.handle()));
            long note;
            try (HandleScope inner = heap.openHandleScope()) {
                note = heap.allocate(RECORD);
                heap.set(note, MRN, 7);
                heap.set(u.handle(), NOTES, note);
            }
            heap.gc().collect(); // the owned object keeps what it refers to alive
            assertEquals(7, heap.get(heap.get(u.handle(), NOTES), MRN));
        }
    }

    @Test
    void aSharedObjectLivesUntilItsLastOwnerCloses() throws Exception {
        Shared a = heap.allocateShared(RECORD);
        heap.set(a.handle(), MRN, 5);
        Shared b = a.share();
        Shared c = b.share();
        assertEquals(3, a.owners());
        a.close();
        a.close(); // counted once
        assertEquals(2, c.owners());
        assertThrows(IllegalStateException.class, a::handle);
        assertThrows(IllegalStateException.class, a::share);
        CompletableFuture.runAsync(b::close).get(); // any thread may release
        assertEquals(5, heap.get(c.handle(), MRN));
        long h = c.handle();
        c.close();
        assertEquals(0, c.owners());
        assertFalse(heap.isLive(h));
    }

    @Test
    void uniqueBuffersMoveTheirSegmentAndFreeTheirMemory() throws Exception {
        UniqueBuffer first = heap.uniqueBuffer(1 << 20);
        MemorySegment s1 = first.segment();
        assertEquals(0, s1.get(ValueLayout.JAVA_LONG, (1 << 20) - 8), "zeroed");
        s1.set(ValueLayout.JAVA_LONG, 0, 77);
        UniqueBuffer second = CompletableFuture.supplyAsync(first::move).get(); // handed to another thread
        assertFalse(s1.scope().isAlive(), "the old owner's segment is closed by the move");
        assertThrows(IllegalStateException.class, () -> s1.get(ValueLayout.JAVA_LONG, 0));
        assertThrows(IllegalStateException.class, first::segment);
        MemorySegment s2 = second.segment();
        assertEquals(77, s2.get(ValueLayout.JAVA_LONG, 0));
        second.close();
        assertFalse(s2.scope().isAlive());
        assertThrows(IllegalArgumentException.class, () -> heap.uniqueBuffer(0));
    }

    @Test
    void sharedBuffersAreFreedByTheLastOwner() {
        SharedBuffer a = heap.sharedBuffer(4096);
        SharedBuffer b = a.share();
        MemorySegment segment = a.segment();
        segment.set(ValueLayout.JAVA_INT, 0, 9);
        a.close();
        assertEquals(9, b.segment().get(ValueLayout.JAVA_INT, 0), "still one owner");
        assertTrue(segment.scope().isAlive());
        b.close();
        assertFalse(segment.scope().isAlive());
    }

    @Test
    void ownedThingsInAScopeGoWithTheScopeAtTheLatest() {
        Unique u;
        UniqueBuffer buffer;
        SharedBuffer shared;
        try (Scope scope = heap.openScope()) {
            Unique firstOwner = scope.allocateUnique(RECORD);
            heap.set(firstOwner.handle(), MRN, 3);
            long scoped = scope.allocate(RECORD);
            assertThrows(ScopeEscapeException.class, () -> heap.set(scoped, NOTES, firstOwner.handle()),
                    "owned in a scope: still no object may refer to it");
            Unique moved = firstOwner.move();
            assertEquals(3, heap.get(moved.handle(), MRN));
            long h = moved.handle();
            moved.close();
            assertThrows(StaleHandleException.class, () -> heap.get(h, MRN), "closed inside the scope: stale");
            u = scope.allocateUnique(RECORD);
            buffer = scope.uniqueBuffer(256);
            shared = scope.sharedBuffer(256);
            buffer.segment().set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
        }
        long stale = u.handle(); // the owner is open, but its scope is closed
        assertThrows(StaleHandleException.class, () -> heap.get(stale, MRN));
        MemorySegment gone = buffer.segment();
        assertFalse(gone.scope().isAlive(), "the scope closed the buffer's segment");
        assertFalse(shared.segment().scope().isAlive());
        u.close();
        buffer.close();
        shared.close();
    }
}
