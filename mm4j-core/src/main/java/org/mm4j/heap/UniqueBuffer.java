package org.mm4j.heap;

import com.google.errorprone.annotations.MustBeClosed;
import java.lang.foreign.MemorySegment;
import org.mm4j.internal.heap.Owned;

/**
 * A uniquely owned raw buffer, zeroed. {@link #segment()} is valid until this owner is moved or closed (or
 * its scope closes): {@link #move()} gives a new owner with a new segment over the same memory and closes
 * the old segment; {@link #close()} frees the memory. Segments behave as those of a shared
 * {@link java.lang.foreign.Arena}, so a buffer may be handed to another thread by moving it; closing or
 * moving one therefore costs a handshake of the JVM's.
 */
public sealed interface UniqueBuffer extends AutoCloseable permits Owned.UniqueMemory {

    /**
     * The buffer.
     *
     * @throws IllegalStateException if this owner was moved or closed
     */
    MemorySegment segment();

    /**
     * A new owner of the memory; this owner's segment is closed.
     *
     * @throws IllegalStateException if this owner was moved or closed
     */
    @MustBeClosed
    UniqueBuffer move();

    /** Whether this owner still owns the memory. */
    boolean isOpen();

    /** Frees the memory, unless it was moved; idempotent. */
    @Override
    void close();
}
