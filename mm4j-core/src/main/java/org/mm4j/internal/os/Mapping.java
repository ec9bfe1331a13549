package org.mm4j.internal.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One region of memory taken from the operating system: a chunk for pages, a block of a bump arena, or a
 * large allocation.
 *
 * <p>Every mapping has its own shared {@link Arena}, and {@link #segment()} is bound to it. Closing the
 * mapping closes the arena, which unmaps the memory; every segment sliced from it becomes inaccessible at
 * the same moment, so a stale segment throws {@link IllegalStateException} instead of touching unmapped
 * memory and crashing the JVM. (Closing a shared arena costs a JVM-wide handshake, tens of microseconds,
 * which is why mappings are large and long-lived.)
 */
public final class Mapping implements AutoCloseable {
    private final Arena arena;
    private final MemorySegment segment;
    private final boolean lazyZero;

    Mapping(Arena arena, MemorySegment segment, boolean lazyZero) {
        this.arena = arena;
        this.segment = segment;
        this.lazyZero = lazyZero;
    }

    /** The whole mapping, bound to the mapping's lifetime. */
    public MemorySegment segment() {
        return segment;
    }

    /** The start address. */
    public long address() {
        return segment.address();
    }

    /** The size in bytes. */
    public long byteSize() {
        return segment.byteSize();
    }

    /**
     * Whether memory that was never touched, or was decommitted, reads as zero and costs no physical
     * memory (true for anonymous mmap; false for the portable fallback, which zeroes eagerly).
     */
    public boolean lazyZero() {
        return lazyZero;
    }

    /**
     * Gives the physical pages of {@code [offset, offset + length)} back to the OS; the range stays
     * mapped and reads as zero when touched again. A no-op for the portable fallback.
     */
    public void decommit(long offset, long length) {
        NativeMemory.decommit(segment, offset, length);
    }

    /** Unmaps the memory; every segment derived from this mapping becomes inaccessible. Idempotent. */
    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    /** Whether {@link #close()} has not been called yet. */
    public boolean isAlive() {
        return arena.scope().isAlive();
    }
}
