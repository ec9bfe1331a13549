package org.mm4j.alloc;

import java.lang.foreign.MemorySegment;
import org.mm4j.internal.alloc.SlabAllocatorImpl;

/**
 * A slab allocator: one object size, pages carved into equal slots, O(1) allocation and free, empty
 * pages released. Thread-safe, with the same thread-local pages and lock-free cross-thread frees as
 * {@link SizeClassAllocator}.
 */
public sealed interface SlabAllocator extends FreeingAllocator permits SlabAllocatorImpl {

    /** The slot size: the object size rounded up to the slot alignment. */
    int slotBytes();

    /** Allocates one slot; the segment is {@link #slotBytes()} long. */
    MemorySegment allocate();

    /**
     * Allocates a slot for {@code byteSize} bytes.
     *
     * @throws IllegalArgumentException also if {@code byteSize} exceeds the slot size or
     *     {@code byteAlignment} exceeds the slot alignment
     */
    @Override
    MemorySegment allocate(long byteSize, long byteAlignment);

    /**
     * A builder for slots of {@code objectBytes}, aligned to 8 bytes by default.
     *
     * @throws IllegalArgumentException if {@code objectBytes} is not in 1 .. {@link Builder#MAX_SLOT_BYTES}
     */
    static Builder builder(long objectBytes) {
        return new Builder(objectBytes);
    }

    /** Builds a {@link SlabAllocator}. */
    final class Builder extends AllocatorBuilder<Builder> {
        /** The largest slot a slab serves. */
        public static final int MAX_SLOT_BYTES = 256 << 10;

        final long objectBytes;
        long alignment = 8;

        Builder(long objectBytes) {
            super("slab-" + objectBytes);
            if (objectBytes <= 0 || objectBytes > MAX_SLOT_BYTES) {
                throw new IllegalArgumentException(
                        "slab object size must be in 1.." + MAX_SLOT_BYTES + ": " + objectBytes);
            }
            this.objectBytes = objectBytes;
        }

        /** The slot alignment, a power of two from 1 to 4096 (default 8). */
        public Builder alignment(long alignment) {
            if (Long.bitCount(alignment) != 1 || alignment > 4096) {
                throw new IllegalArgumentException("slab alignment must be a power of two up to 4096: "
                        + alignment);
            }
            this.alignment = alignment;
            return this;
        }

        /** Builds the slab allocator. */
        public SlabAllocator build() {
            return new SlabAllocatorImpl(config(), objectBytes, alignment);
        }
    }
}
