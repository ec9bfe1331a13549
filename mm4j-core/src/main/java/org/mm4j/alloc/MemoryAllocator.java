package org.mm4j.alloc;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

/**
 * An mm4j allocator: hands out {@link MemorySegment}s carved from large chunks of memory it takes from
 * the OS once, never an {@code Arena} per allocation.
 *
 * <p>Common contract of every implementation:
 * <ul>
 *   <li>{@link #allocate(long, long)} takes a size &gt; 0 and a power-of-two alignment; the segment it
 *       returns has exactly the requested size, is aligned as requested and overlaps no other live
 *       allocation.</li>
 *   <li>Bad input is rejected with an exception before any state changes, and the allocator stays
 *       usable. A request over the allocator's byte limit throws
 *       {@link org.mm4j.os.MemoryLimitExceededException}.</li>
 *   <li>Segments are bound to the lifetime of the memory they come from: once that memory is unmapped
 *       (at the latest at {@link #close()}), using the segment throws {@link IllegalStateException}
 *       instead of touching unmapped memory.</li>
 *   <li>{@link #close()} releases everything. If allocations are still live it then throws
 *       {@link MemoryLeakException} saying how many and how large (and, with
 *       {@code -Dmm4j.debug.allocationSites=true}, where they were allocated), so every test that closes
 *       its allocator is a leak test.</li>
 * </ul>
 */
public sealed interface MemoryAllocator extends SegmentAllocator, AutoCloseable
        permits FreeingAllocator, BumpArena {

    /**
     * Allocates {@code byteSize} bytes aligned to {@code byteAlignment}.
     *
     * @throws IllegalArgumentException if {@code byteSize <= 0}, or {@code byteAlignment} is not a power
     *     of two or exceeds what this allocator supports
     * @throws org.mm4j.os.MemoryLimitExceededException if the allocator's limit or budget has no room
     * @throws IllegalStateException if the allocator is closed
     */
    @Override
    MemorySegment allocate(long byteSize, long byteAlignment);

    /** A read-only view of this allocator's statistics; reading it never blocks allocation. */
    AllocatorMetrics metrics();

    /** The name given at build time, used in messages and reports. */
    String name();

    /**
     * Gives back to the OS now, without waiting for the purge delay, what the allocator holds for the
     * calling thread but does not use (empty pages, unused blocks), and what it holds for threads that
     * have ended.
     *
     * <p>For the thread-local allocators ({@link SizeClassAllocator}, {@link SlabAllocator}) memory held
     * by other live threads is theirs to give back: slots freed into their pages by other threads
     * return to the pages, and empty pages to the OS, at the owning thread's next allocation slow path
     * or its own {@code trim()}. A pool of worker threads that goes idle after freeing memory should
     * have each worker call {@code trim()}.
     */
    void trim();

    /**
     * Releases all memory of this allocator. Idempotent.
     *
     * @throws MemoryLeakException after releasing everything, if allocations were still live
     */
    @Override
    void close();
}
