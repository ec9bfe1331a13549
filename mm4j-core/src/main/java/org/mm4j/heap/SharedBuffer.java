package org.mm4j.heap;

import com.google.errorprone.annotations.MustBeClosed;
import java.lang.foreign.MemorySegment;
import org.mm4j.internal.heap.Owned;

/**
 * A reference-counted raw buffer, zeroed: each {@code SharedBuffer} is one owner, {@link #share()} adds
 * one, and the last {@link #close()} frees the memory. Every owner's {@link #segment()} is the same shared
 * segment, valid until the last owner closes (or the scope the buffer was allocated in closes).
 */
public sealed interface SharedBuffer extends AutoCloseable permits Owned.SharedMemory {

    /**
     * The buffer.
     *
     * @throws IllegalStateException if this owner was closed
     */
    MemorySegment segment();

    /**
     * Another owner of the same memory.
     *
     * @throws IllegalStateException if this owner was closed
     */
    @MustBeClosed
    SharedBuffer share();

    /** The number of open owners (0 once freed). */
    int owners();

    /** Whether this owner is open. */
    boolean isOpen();

    /** Releases this owner; the last one frees the memory. Idempotent. */
    @Override
    void close();
}
