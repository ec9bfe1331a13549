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

    /** A builder with the defaults. */
    static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link SizeClassAllocator}. */
    final class Builder extends AllocatorBuilder<Builder> {
        Builder() {
            super("size-classes");
        }

        /** Builds the allocator. */
        public SizeClassAllocator build() {
            return new SizeClassAllocatorImpl(config());
        }
    }
}
