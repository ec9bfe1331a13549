package org.mm4j.internal.alloc;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.mm4j.alloc.SizeClassAllocator;

/** {@link PagedAllocator#verify()} finds the inconsistencies it promises to find. */
class VerifyTest {

    private static Page pageOf(MemorySegment s) {
        Chunk c = ChunkRegistry.lookup(s.address());
        return c.pages[(int) ((s.address() - c.address) >>> Chunk.UNIT_SHIFT)];
    }

    @Test
    void aCountThatDisagreesWithTheBitmapIsFound() {
        try (SizeClassAllocator a = SizeClassAllocator.builder().build()) {
            MemorySegment s = a.allocate(100);
            PagedAllocator p = (PagedAllocator) a;
            p.verify();
            Page page = pageOf(s);
            page.used++;
            IllegalStateException e = assertThrows(IllegalStateException.class, p::verify);
            assertTrue(e.getMessage().contains("used"), e.getMessage());
            page.used--;
            p.verify();
            a.free(s);
        }
    }

    @Test
    void aPageFiledUnderTheWrongStateIsFound() {
        try (SizeClassAllocator a = SizeClassAllocator.builder().build()) {
            MemorySegment s = a.allocate(100);
            PagedAllocator p = (PagedAllocator) a;
            Page page = pageOf(s);
            page.state = Page.FULL;
            assertThrows(IllegalStateException.class, p::verify);
            page.state = Page.CURRENT;
            p.verify();
            a.free(s);
        }
    }

    @Test
    void unitMasksThatDisagreeWithThePagesAreFound() {
        try (SizeClassAllocator a = SizeClassAllocator.builder().build()) {
            MemorySegment s = a.allocate(100);
            PagedAllocator p = (PagedAllocator) a;
            Page page = pageOf(s);
            page.chunk.freeUnits |= 1L << page.firstUnit;
            assertThrows(IllegalStateException.class, p::verify);
            page.chunk.freeUnits &= ~(1L << page.firstUnit);
            p.verify();
            a.free(s);
        }
    }
}
