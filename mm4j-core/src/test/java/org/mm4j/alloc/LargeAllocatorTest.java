package org.mm4j.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class LargeAllocatorTest {

    @Test
    void alignedUpToTwoMebibytesAndReleasedDirectly() {
        try (LargeAllocator a = LargeAllocator.builder().build()) {
            MemorySegment plane = a.allocate(3 << 20, LargeAllocator.MAX_ALIGNMENT);
            assertEquals(0, plane.address() % LargeAllocator.MAX_ALIGNMENT);
            plane.set(ValueLayout.JAVA_SHORT, plane.byteSize() - 2, (short) 4095);
            assertTrue(a.metrics().committedBytes() >= 3 << 20);
            a.free(plane);
            assertEquals(0, a.metrics().committedBytes(), "released on free, no delay");
            assertThrows(IllegalArgumentException.class, () -> a.allocate(4096, 4L << 20));
        }
    }

    @Test
    void useAfterFreeThrowsInsteadOfTouchingUnmappedMemory() {
        try (LargeAllocator a = LargeAllocator.builder().build()) {
            MemorySegment s = a.allocate(1 << 20);
            a.free(s);
            assertThrows(IllegalStateException.class, () -> s.get(ValueLayout.JAVA_BYTE, 0));
            InvalidFreeException e = assertThrows(InvalidFreeException.class, () -> a.free(s));
            assertEquals(InvalidFreeException.Reason.DOUBLE_FREE, e.reason());
        }
    }

    @Test
    void mediumBlocksAreReusedWithoutAMappingOfTheirOwn() {
        try (SizeClassAllocator a = SizeClassAllocator.builder().build()) {
            MemorySegment m = a.allocate(SizeClassAllocator.MAX_CLASS_BYTES + 1);
            m.fill((byte) 3);
            long reserved = a.metrics().reservedBytes();
            long address = m.address();
            a.free(m);
            MemorySegment again = a.allocate(SizeClassAllocator.MAX_CLASS_BYTES + 1000);
            assertEquals(address, again.address(), "the freed medium page is reused");
            assertEquals(reserved, a.metrics().reservedBytes(), "no mapping per medium block");
            InvalidFreeException slice = assertThrows(InvalidFreeException.class, () -> a.free(again.asSlice(4096)));
            assertEquals(InvalidFreeException.Reason.SLICE, slice.reason());
            a.free(again);
            InvalidFreeException twice = assertThrows(InvalidFreeException.class, () -> a.free(again));
            assertEquals(InvalidFreeException.Reason.DOUBLE_FREE, twice.reason());
            MemorySegment big = a.allocate(SizeClassAllocator.MAX_MEDIUM_BYTES + 1);
            assertTrue(a.metrics().reservedBytes() > reserved, "above the medium sizes: a mapping of its own");
            a.free(big);
        }
    }

    @Test
    void sizeClassAllocatorRoutesLargeRequestsAndHighAlignments() {
        try (SizeClassAllocator a = SizeClassAllocator.builder().build()) {
            MemorySegment big = a.allocate(SizeClassAllocator.MAX_CLASS_BYTES + 1);
            MemorySegment aligned = a.allocate(64, 1 << 20);
            assertEquals(0, aligned.address() % (1 << 20));
            assertEquals(2, a.metrics().liveAllocations());
            a.free(big);
            a.free(aligned);
            assertEquals(0, a.metrics().liveAllocations());
            assertEquals(0, a.metrics().requestedBytes());
        }
    }
}
