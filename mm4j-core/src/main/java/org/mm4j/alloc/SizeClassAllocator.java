package org.mm4j.alloc;

import org.mm4j.internal.alloc.SizeClassAllocatorImpl;
import org.mm4j.internal.alloc.SizeClasses;

/**
 * The general-purpose allocator, malloc-like.
 *
 * <p>Sizes up to {@link #MAX_CLASS_BYTES} are served from size classes: 8-byte steps up to 64 bytes,
 * then eight classes per doubling. Internal waste is therefore at most 7 bytes below 64 bytes and less
 * than one ninth of the slot (11.1 %, or 12.5 % of the request) above. Medium requests, up to
 * {@link #MAX_MEDIUM_BYTES}, take a page of whole 64 KiB units to themselves (waste under 64 KiB, no OS
 * call per block). Larger requests, and alignments above 64 KiB, go to a {@link LargeAllocator} owned by
 * this allocator.
 *
 * <p>Each thread allocates from pages of its own (a thread-local heap), so allocation takes no lock and
 * touches no shared cache line. A free by the owning thread is local; a free by another thread sets a
 * bit in the page's remote-free bitmap with one atomic operation and, the first time, pushes the page
 * onto its owner's lock-free queue, where the owner collects it later (mimalloc's free-list sharding).
 * Each heap keeps at most two empty pages per class (its current page and a spare); further empty pages
 * go back to the allocator and to the OS after the purge delay. Heaps of threads that ended are adopted by a live thread's heap. Virtual
 * threads share a few striped heaps instead of one each, so a million virtual threads do not hold a
 * million sets of pages.
 */
public sealed interface SizeClassAllocator extends FreeingAllocator permits SizeClassAllocatorImpl {

    /** The largest size served from size classes. */
    int MAX_CLASS_BYTES = SizeClasses.MAX_CLASS_BYTES;

    /** The largest medium block (a page of its own in a chunk); larger requests are large allocations. */
    int MAX_MEDIUM_BYTES = SizeClasses.MAX_MEDIUM_BYTES;

    /**
     * Allocates at least {@code byteSize} bytes, aligned to 8, and returns the block's address instead of
     * a segment: for callers that keep their own view of the memory, such as mm4j's managed heap or an
     * adapter to Netty's or Arrow's buffers, and pay neither for a segment per block nor for its checks.
     * The whole slot counts as requested. The block is freed with {@link #freeAddress}, never
     * {@link #free}.
     *
     * <p>The allocator's own state stays safe as with segments (a double or foreign free throws), but
     * reaching the memory is the caller's affair: an address outlives its block, and reading a freed
     * block is not detected.
     *
     * @throws IllegalArgumentException if {@code byteSize} is not positive
     * @throws org.mm4j.os.MemoryLimitExceededException if the budget does not allow it; nothing changes
     * @throws IllegalStateException if the allocator is closed
     */
    long allocateAddress(long byteSize);

    /**
     * Frees the block at {@code address}, returned by {@link #allocateAddress}.
     *
     * @throws InvalidFreeException if no live block of this allocator starts at {@code address} (never
     *     handed out, inside a block, or freed already); nothing changes
     * @throws IllegalStateException if the allocator is closed
     */
    void freeAddress(long address);

    /** A builder with the defaults. */
    static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link SizeClassAllocator}. */
    final class Builder extends AllocatorBuilder<Builder> {
        private boolean hugePages;

        Builder() {
            super("size-classes");
        }

        /**
         * Whether the chunks its pages are carved from (4 MiB) are advised to use transparent huge pages
         * (default false): fewer TLB misses where a large set of blocks is read at random, at the cost of
         * resident memory rounded up to 2 MiB per touched half-chunk. Blocks larger than 2 MiB go to a
         * {@link LargeAllocator}, which advises the whole 2 MiB pages inside them in any case.
         */
        public Builder hugePages(boolean hugePages) {
            this.hugePages = hugePages;
            return this;
        }

        /** Builds the allocator. */
        public SizeClassAllocator build() {
            return new SizeClassAllocatorImpl(config(), hugePages);
        }
    }
}
