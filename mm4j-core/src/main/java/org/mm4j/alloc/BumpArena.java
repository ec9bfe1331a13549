package org.mm4j.alloc;

import org.mm4j.internal.alloc.BumpArenaImpl;

/**
 * A bump-pointer arena: allocation moves a pointer through a chain of blocks; nothing is freed one by
 * one. Memory is given back by {@link #reset(Mark)} to a mark, {@link #resetAll()}, or {@link #close()}.
 *
 * <p>Blocks grow by a factor from an initial to a maximum size; a request larger than the maximum block
 * gets a block of its own. Blocks are kept across resets and reused; those unused for longer than the
 * purge delay are decommitted at the next reset, and {@link #trim()} unmaps every block past the current
 * position.
 *
 * <p>Confined: only the thread that built the arena may use it (others get
 * {@link WrongThreadException}), unless it was built {@linkplain Builder#threadSafe(boolean) thread-safe}.
 *
 * <p>Marks form a stack: {@link #mark()} pushes the current position, {@link #reset(Mark)} pops back to
 * it, releasing every allocation made since and the mark itself along with every mark taken after it.
 * A mark is {@link AutoCloseable}, so a scratch region reads
 * <pre>{@code
 * try (BumpArena.Mark batch = arena.mark()) {
 *     MemorySegment window = arena.allocate(4096);
 *     ...
 * }   // everything allocated in the block is released here
 * }</pre>
 */
public sealed interface BumpArena extends MemoryAllocator permits BumpArenaImpl {

    /** Pushes the arena's current position, to return to with {@link #reset(Mark)} or the mark's close. */
    Mark mark();

    /**
     * Returns the arena to {@code mark}: every allocation made after the mark is released at once. The
     * mark is popped, and so are the marks taken after it; none of them can be reset to again.
     *
     * @throws IllegalArgumentException if the mark is not of this arena, or was popped already (by a
     *     reset to it or to an earlier mark, or by {@link #resetAll()})
     */
    void reset(Mark mark);

    /** Releases every allocation and every mark. */
    void resetAll();

    @Override
    BumpArenaMetrics metrics();

    /** A position in an arena; closing it resets the arena to it, if it was not popped already. */
    sealed interface Mark extends AutoCloseable permits BumpArenaImpl.Position {
        /** Resets the arena to this mark; does nothing if the mark was popped already. */
        @Override
        void close();
    }

    /** Statistics of a bump arena. */
    interface BumpArenaMetrics extends AllocatorMetrics {
        /** Blocks mapped now. */
        int blocks();

        /** Bytes left unused at the ends of blocks that allocation has moved past. */
        long blockEndWasteBytes();
    }

    /** A builder with the defaults: first block 64 KiB, growth factor 2, largest block 16 MiB. */
    static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link BumpArena}. */
    final class Builder extends AllocatorBuilder<Builder> {
        long initialBlockBytes = 64 << 10;
        long maxBlockBytes = 16 << 20;
        int growthFactor = 2;
        boolean threadSafe;

        Builder() {
            super("bump-arena");
        }

        /** The size of the first block (rounded up to the page size). */
        public Builder initialBlockBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("block size must be positive: " + bytes);
            }
            this.initialBlockBytes = bytes;
            return this;
        }

        /** The largest block the growth policy makes; larger requests get a block of their own. */
        public Builder maxBlockBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("block size must be positive: " + bytes);
            }
            this.maxBlockBytes = bytes;
            return this;
        }

        /** Each new block is this many times the previous one, up to the largest block size. */
        public Builder growthFactor(int factor) {
            if (factor < 1) {
                throw new IllegalArgumentException("growth factor must be at least 1: " + factor);
            }
            this.growthFactor = factor;
            return this;
        }

        /** Whether any thread may use the arena (operations are then serialized by a lock). */
        public Builder threadSafe(boolean threadSafe) {
            this.threadSafe = threadSafe;
            return this;
        }

        /** Builds the arena; it is confined to the calling thread unless thread-safe. */
        public BumpArena build() {
            if (maxBlockBytes < initialBlockBytes) {
                throw new IllegalArgumentException("largest block (" + maxBlockBytes
                        + ") is smaller than the first (" + initialBlockBytes + ")");
            }
            return new BumpArenaImpl(config(), initialBlockBytes, maxBlockBytes, growthFactor, threadSafe);
        }
    }
}
