package org.mm4j.heap;

import com.google.errorprone.annotations.MustBeClosed;
import org.mm4j.internal.heap.Owned;

/**
 * A reference-counted object (C++'s {@code shared_ptr}, Rust's {@code Arc}): each {@code Shared} is one
 * owner; {@link #share()} adds one, {@link #close()} removes this one, and the last close frees the object
 * at once. As for {@link Unique}, no object may store a reference to it, so the owners are the only way
 * to reach it, and the count is exact. Owners may be used and closed by any thread (the count is atomic);
 * the object's fields follow the heap's rules for threads.
 */
public sealed interface Shared extends AutoCloseable permits Owned.SharedObject {

    /**
     * The object's handle, for the heap's accessors.
     *
     * @throws IllegalStateException if this owner was closed
     */
    long handle();

    /**
     * Another owner of the same object.
     *
     * @throws IllegalStateException if this owner was closed
     */
    @MustBeClosed
    Shared share();

    /** The number of open owners of the object (0 once freed). */
    int owners();

    /** Whether this owner is open. */
    boolean isOpen();

    /** Releases this owner; the last one frees the object. Idempotent. */
    @Override
    void close();
}
