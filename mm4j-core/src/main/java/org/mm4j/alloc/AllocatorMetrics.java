package org.mm4j.alloc;

import java.util.List;

/**
 * Read-only statistics of an allocator. Reading never delays the allocation fast path (the paged
 * allocators take, briefly, the lock that page requests take); while other threads allocate, the values
 * are an approximation (counters are read without synchronization and not atomically together); when
 * the allocator is quiescent they are exact.
 *
 * <p>Terms: <em>requested</em> bytes are what callers asked for; <em>allocated</em> bytes are what their
 * live allocations occupy (slot sizes, alignment padding), so {@code allocated - requested} is internal
 * waste; <em>committed</em> bytes are taken from the OS and counted against the budget; <em>reserved</em>
 * bytes are address space mapped, committed or not.
 */
public interface AllocatorMetrics {

    /** The allocator's name. */
    String name();

    /** Bytes requested by the live allocations. */
    long requestedBytes();

    /** Bytes occupied by the live allocations, including internal waste. */
    long allocatedBytes();

    /** {@code allocatedBytes() - requestedBytes()}: waste inside allocations (rounding, alignment). */
    default long internalWasteBytes() {
        return allocatedBytes() - requestedBytes();
    }

    /** Bytes taken from the OS and not given back. */
    long committedBytes();

    /** Address space mapped, committed or not. */
    long reservedBytes();

    /** The most bytes ever committed at once. */
    long peakCommittedBytes();

    /**
     * The most bytes ever allocated at once. Exact for the arena and large allocators; the paged
     * allocators sample it as they grow (each time their pages grow by a sixteenth) and when read.
     */
    long peakAllocatedBytes();

    /** Live allocations. */
    long liveAllocations();

    /** Allocations made since the allocator was built. */
    long totalAllocations();

    /**
     * The share of committed memory that holds no live allocation: {@code 1 - allocated / committed},
     * 0 when nothing is committed. High values mean memory held but unused (free slots in partly used
     * pages, empty pages not yet purged, unused blocks).
     */
    default double fragmentation() {
        long committed = committedBytes();
        return committed == 0 ? 0.0 : Math.max(0.0, 1.0 - (double) allocatedBytes() / committed);
    }

    /** Per size class (or per slot size), in increasing size; empty for allocators without classes. */
    List<SizeClassMetrics> sizeClasses();

    /** Statistics of one size class. */
    record SizeClassMetrics(int slotBytes, long liveAllocations, long totalAllocations, int pages,
            long committedBytes) {
        /** Free slots in this class's pages, as a share of its committed bytes. */
        public double fragmentation() {
            return committedBytes == 0 ? 0.0
                    : Math.max(0.0, 1.0 - (double) liveAllocations * slotBytes / committedBytes);
        }
    }
}
