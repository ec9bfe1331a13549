package org.mm4j.internal.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mm4j.alloc.InvalidFreeException;
import org.mm4j.alloc.SlabAllocator;

/**
 * A heap reuses the descriptor of a page it released for the next page it carves of the same class, so
 * that carving and releasing pages at a high rate leaves nothing on the Java heap.
 */
class PageReuseTest {
    private static final VarHandle REMOTE_QUEUED;

    static {
        try {
            REMOTE_QUEUED = MethodHandles.privateLookupIn(Page.class, MethodHandles.lookup())
                    .findVarHandle(Page.class, "remoteQueued", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Allocates until a block lands on another page than the last block's; returns that page. */
    private static Page fillUntilNextPage(SlabAllocator slab, List<MemorySegment> blocks) {
        PagedAllocator allocator = (PagedAllocator) slab;
        Page current = blocks.isEmpty() ? null : allocator.livePageOf(blocks.getLast().address());
        for (;;) {
            MemorySegment b = slab.allocate();
            blocks.add(b);
            Page p = allocator.livePageOf(b.address());
            if (p != current) {
                return p;
            }
        }
    }

    /** Takes the blocks on {@code page} out of {@code blocks}. */
    private static List<MemorySegment> takeOn(PagedAllocator allocator, List<MemorySegment> blocks, Page page) {
        List<MemorySegment> mine = new ArrayList<>();
        for (MemorySegment b : blocks) {
            if (allocator.livePageOf(b.address()) == page) {
                mine.add(b);
            }
        }
        blocks.removeAll(mine);
        return mine;
    }

    /** Takes one block on {@code page} out of {@code blocks}. */
    private static MemorySegment takeOneOn(PagedAllocator allocator, List<MemorySegment> blocks, Page page) {
        for (MemorySegment b : blocks) {
            if (allocator.livePageOf(b.address()) == page) {
                blocks.remove(b);
                return b;
            }
        }
        throw new AssertionError("no block on the page");
    }

    private static void freeFromAnotherThread(SlabAllocator slab, MemorySegment block) throws InterruptedException {
        Thread t = new Thread(() -> slab.free(block));
        t.start();
        t.join();
    }

    @Test
    void aReleasedPagesDescriptorServesTheNextPageCarvedAndWorksAsANewOne() {
        try (SlabAllocator slab = SlabAllocator.builder(64).build()) {
            PagedAllocator allocator = (PagedAllocator) slab;
            List<MemorySegment> blocks = new ArrayList<>();
            Page first = fillUntilNextPage(slab, blocks);
            Page second = fillUntilNextPage(slab, blocks);
            fillUntilNextPage(slab, blocks); // the first two are full
            long firstAddress = first.address;
            for (MemorySegment b : takeOn(allocator, blocks, second)) {
                slab.free(b); // emptied first: kept as the heap's spare
            }
            for (MemorySegment b : takeOn(allocator, blocks, first)) {
                slab.free(b); // emptied second: released to its chunk
            }
            assertEquals(Page.SPARE, second.state);
            assertEquals(Page.RELEASED, first.state);
            assertEquals(null, allocator.livePageOf(firstAddress), "its units went back to the chunk");

            Page spare = fillUntilNextPage(slab, blocks);
            assertSame(second, spare, "the spare is used before anything is carved");
            Page carved = fillUntilNextPage(slab, blocks);
            assertSame(first, carved, "the released descriptor describes the new page");
            assertEquals(Page.CURRENT, carved.state);
            assertEquals(1, carved.usedSlots());
            assertEquals(1, carved.allocations, "counts start again");
            assertEquals(null, carved.inconsistency());
            MemorySegment inIt = blocks.getLast();
            assertEquals(carved.address, inIt.address(), "its first slot is handed out first");
            assertEquals(carved.cls.pageBytes(), carved.segment.byteSize());
            assertTrue(inIt.address() >= carved.segment.address()
                    && inIt.address() < carved.segment.address() + carved.segment.byteSize());
            inIt.fill((byte) 7);

            slab.free(inIt);
            blocks.remove(inIt);
            assertThrows(InvalidFreeException.class, () -> slab.free(inIt), "a double free is still found");
            allocator.verify();
            for (MemorySegment b : blocks) {
                slab.free(b);
            }
            allocator.verify();
        }
    }

    /**
     * A freer may still be about to push a page that its owner has collected, emptied and released (it
     * set the page's queued flag after the owner reset it). If the descriptor is reused meanwhile, that
     * late push must be the page's only one: a second push while it is on the stack would link it to
     * itself and drop the pages below it, whose frees would never be collected.
     */
    @Test
    void aLatePushOfAReusedDescriptorLosesNoOtherPagesFrees() throws InterruptedException {
        try (SlabAllocator slab = SlabAllocator.builder(64).build()) {
            PagedAllocator allocator = (PagedAllocator) slab;
            ThreadHeap heap = allocator.heapOfCurrentThread();
            List<MemorySegment> blocks = new ArrayList<>();
            Page spare = fillUntilNextPage(slab, blocks);
            Page reused = fillUntilNextPage(slab, blocks);
            fillUntilNextPage(slab, blocks);
            for (MemorySegment b : takeOn(allocator, blocks, spare)) {
                slab.free(b);
            }
            for (MemorySegment b : takeOn(allocator, blocks, reused)) {
                slab.free(b);
            }
            assertEquals(Page.RELEASED, reused.state);
            REMOTE_QUEUED.setVolatile(reused, 1); // a freer set it and has yet to push the page

            assertSame(spare, fillUntilNextPage(slab, blocks));
            assertSame(reused, fillUntilNextPage(slab, blocks), "the next page carved reuses the descriptor");
            for (int i = 0; i < 3; i++) {
                blocks.add(slab.allocate()); // on the reused page, now current
            }
            Page below = spare; // holds blocks now, and so does the reused one
            MemorySegment inBelow = takeOneOn(allocator, blocks, below);
            MemorySegment inReused = takeOneOn(allocator, blocks, reused);
            int usedBelow = below.usedSlots();
            int usedReused = reused.usedSlots();

            freeFromAnotherThread(slab, inBelow); // pushes the other page
            freeFromAnotherThread(slab, inReused); // the flag is still set: no push
            ThreadHeap.pushRemote(reused); // the late push, on top of the other page
            heap.collectRemoteFrees();

            assertEquals(usedBelow - 1, below.usedSlots(), "the free into the page below was collected");
            assertEquals(usedReused - 1, reused.usedSlots(), "the free into the reused page was collected");
            assertEquals(0, below.pendingRemote());
            assertEquals(0, reused.pendingRemote());
            assertNotEquals(Page.RELEASED, reused.state);

            MemorySegment again = takeOneOn(allocator, blocks, reused);
            freeFromAnotherThread(slab, again); // the flag was reset when it was collected: pushed again
            heap.collectRemoteFrees();
            assertEquals(usedReused - 2, reused.usedSlots());
            assertFalse(reused.pendingRemote() > 0);
            allocator.verify();
            for (MemorySegment b : blocks) {
                slab.free(b);
            }
            allocator.verify();
        }
    }
}
