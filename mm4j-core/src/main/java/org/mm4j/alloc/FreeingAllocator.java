package org.mm4j.alloc;

import java.lang.foreign.MemorySegment;

/** An allocator whose allocations are freed one at a time. */
public sealed interface FreeingAllocator extends MemoryAllocator
        permits SlabAllocator, SizeClassAllocator, LargeAllocator {

    /**
     * Frees a segment this allocator returned from {@code allocate}. The segment must be exactly the one
     * returned (not a slice of it) and not freed before.
     *
     * <p>With {@code scrubOnFree} the memory is zeroed before it can be reused.
     *
     * @throws InvalidFreeException if the segment was not handed out by this allocator, is a slice, or
     *     was already freed; nothing changes
     * @throws NullPointerException if {@code segment} is null
     * @throws IllegalStateException if the allocator is closed
     */
    void free(MemorySegment segment);
}
