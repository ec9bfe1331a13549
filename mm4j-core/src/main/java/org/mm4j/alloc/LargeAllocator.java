package org.mm4j.alloc;

import org.mm4j.internal.alloc.LargeAllocatorImpl;

/**
 * Large allocations, each a mapping of its own: page-aligned, alignment up to
 * {@link #MAX_ALIGNMENT} (2 MiB), released to the OS directly on free. Blocks of at least 2 MiB are
 * advised to use transparent huge pages (where the OS grants them) unless built without.
 *
 * <p>Because each block is its own mapping, a segment used after it was freed throws
 * {@link IllegalStateException}: use-after-free is detected, not silent. Thread-safe.
 */
public sealed interface LargeAllocator extends FreeingAllocator permits LargeAllocatorImpl {

    /** The largest alignment served. */
    long MAX_ALIGNMENT = 2L << 20;

    /** A builder with the defaults (huge pages advised). */
    static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link LargeAllocator}. */
    final class Builder extends AllocatorBuilder<Builder> {
        boolean hugePages = true;

        Builder() {
            super("large");
        }

        /** Whether blocks of 2 MiB and more are advised to use transparent huge pages. */
        public Builder hugePages(boolean hugePages) {
            this.hugePages = hugePages;
            return this;
        }

        /** Builds the allocator. */
        public LargeAllocator build() {
            return new LargeAllocatorImpl(config(), hugePages);
        }
    }
}
