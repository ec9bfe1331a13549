package org.mm4j.internal.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mm4j.alloc.SlabAllocator;

/**
 * A page can come off its owner's remote stack with nothing to collect: a freer that set its bit after the
 * owner reset the page's queued flag, but before the owner drained the page, queues it a second time, and
 * the drain has taken its slot already. If the owner has filled the page again meanwhile, it must stay
 * filed as full; filed as available, the next refill would hand out a full page (the demo's ward turnover
 * failed with "new offset = -1" this way, now and then).
 */
class RemoteFreeRequeueTest {
    @Test
    void aFullPageRequeuedWithNothingToCollectStaysFull() throws InterruptedException {
        try (SlabAllocator slab = SlabAllocator.builder(64).build()) {
            PagedAllocator allocator = (PagedAllocator) slab;
            List<MemorySegment> blocks = new ArrayList<>();
            blocks.add(slab.allocate());
            Page page = allocator.livePageOf(blocks.getFirst().address());
            while (allocator.livePageOf(blocks.getLast().address()) == page) {
                blocks.add(slab.allocate()); // the last block is on the next page: the first is full
            }
            assertEquals(Page.FULL, page.state);

            MemorySegment freed = blocks.removeFirst();
            Thread freer = new Thread(() -> slab.free(freed)); // a remote free: the page is queued
            freer.start();
            freer.join();
            ThreadHeap heap = allocator.heapOfCurrentThread();
            heap.collectRemoteFrees();
            assertEquals(Page.AVAILABLE, page.state);
            MemorySegment again;
            do { // the owner fills the page again: it takes the freed slot when its current page is full
                again = slab.allocate();
                blocks.add(again);
            } while (allocator.livePageOf(again.address()) != page);
            do { // full again; it is filed as full once a block comes from another page
                again = slab.allocate();
                blocks.add(again);
            } while (allocator.livePageOf(again.address()) == page);
            assertEquals(Page.FULL, page.state);

            ThreadHeap.pushRemote(page); // queued once more, with nothing left to collect
            heap.collectRemoteFrees();
            assertEquals(Page.FULL, page.state, "nothing was freed into it: it stays full");
            int more = 4 * blocks.size();
            for (int i = 0; i < more; i++) {
                blocks.add(slab.allocate()); // the next refills take pages that have room
            }
            for (MemorySegment b : blocks) {
                slab.free(b);
            }
        }
    }
}
