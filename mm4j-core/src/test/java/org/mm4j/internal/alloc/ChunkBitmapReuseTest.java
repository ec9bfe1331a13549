package org.mm4j.internal.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mm4j.alloc.SizeClassAllocator;

/**
 * A chunk's pages keep their bitmaps in a mapping beside it, which the allocator keeps for the next chunk
 * when the chunk is unmapped: a page carved there must start from its own bitmaps, whatever the last
 * chunk's pages left in those bytes.
 */
class ChunkBitmapReuseTest {
    @Test
    void aPageCarvedWhereAnotherOfAnotherClassWasStartsFromItsOwnBitmaps() {
        try (SizeClassAllocatorImpl a = (SizeClassAllocatorImpl) SizeClassAllocator.builder().name("meta").build()) {
            long[] small = new long[8 * 4096]; // eight one-unit pages of 16-byte slots, their free words all set when freed
            for (int i = 0; i < small.length; i++) {
                small[i] = a.allocateAddress(16);
            }
            for (long b : small) {
                a.freeAddress(b);
            }
            allocateDistinctAndFree(a, 1000, 400); // carved on the units (and bitmap bytes) the small pages left
        }
    }

    @Test
    void aRemoteBitPastThePagesLastSlotIsNeverCollected() {
        try (SizeClassAllocatorImpl a = (SizeClassAllocatorImpl) SizeClassAllocator.builder().name("meta").build()) {
            long block = a.allocateAddress(48);
            Page page = a.livePageOf(block);
            int slots = page.cls.slotCount;
            assertTrue(slots % 64 != 0, "a class whose last word is part used: " + slots);
            // what a late OR of a double free into the page that was here before could leave
            page.freeRemote(slots + 1, block);
            assertEquals(0, page.drainRemote(), "no slot of this page");
            assertEquals(null, page.inconsistency());
            a.verify();
            a.freeAddress(block);
            a.verify();
        }
    }

    private static void allocateDistinctAndFree(SizeClassAllocatorImpl a, long size, int count) {
        Set<Long> seen = new HashSet<>();
        long[] blocks = new long[count];
        for (int i = 0; i < count; i++) {
            blocks[i] = a.allocateAddress(size);
            assertTrue(seen.add(blocks[i]), "block " + i + " handed out twice");
        }
        a.verify();
        for (long b : blocks) {
            a.freeAddress(b);
        }
        assertEquals(0, a.metrics().liveAllocations());
        a.verify();
    }

    @Test
    void aChunkMappedAfterOneWasUnmappedReusesItsBitmapsAndStartsClean() {
        try (SizeClassAllocatorImpl a = (SizeClassAllocatorImpl) SizeClassAllocator.builder().name("meta").build()) {
            // 16-byte slots: one-unit pages of 4,096 slots, their bitmaps' words all set as the blocks are freed
            long[] small = new long[300_000];
            for (int i = 0; i < small.length; i++) {
                small[i] = a.allocateAddress(16);
            }
            for (long b : small) {
                a.freeAddress(b);
            }
            a.trim();
            assertTrue(a.spareBitmapMappings() >= 2, "the chunks' bitmap mappings are kept: "
                    + a.spareBitmapMappings());
            int kept = a.spareBitmapMappings();
            allocateDistinctAndFree(a, 1000, 20_000); // fewer words per page, at the same places
            assertTrue(a.spareBitmapMappings() < kept, "new chunks took kept bitmap mappings");
        }
    }
}
