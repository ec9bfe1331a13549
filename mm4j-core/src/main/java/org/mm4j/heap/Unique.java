package org.mm4j.heap;

import com.google.errorprone.annotations.MustBeClosed;
import org.mm4j.internal.heap.Owned;

/**
 * A uniquely owned object (C++'s {@code unique_ptr}, Rust's {@code Box}): this owner is the only way to
 * reach it. No object may store a reference to it ({@link ScopeEscapeException} before the store), and
 * {@link #close()} frees it at once. Its own fields may refer to other objects, which it keeps alive like
 * a root.
 *
 * <p>{@link #move()} transfers ownership: it returns a new owner and makes this one, and every handle to
 * the object obtained before, unusable (the object's id moves to its next generation; the object itself
 * stays where it is). Obtained from {@link Heap#allocateUnique} or {@link Scope#allocateUnique}; a scoped
 * one is released with its scope at the latest. If the owner becomes unreachable in the JVM unclosed,
 * the collector frees the object.
 */
public sealed interface Unique extends AutoCloseable permits Owned.UniqueObject {

    /**
     * The object's handle, for the heap's accessors.
     *
     * @throws IllegalStateException if this owner was moved or closed
     */
    long handle();

    /**
     * A new owner of the object; this one is closed without freeing it, and earlier handles are stale.
     *
     * @throws IllegalStateException if this owner was moved or closed
     */
    @MustBeClosed
    Unique move();

    /** Whether this owner still owns the object. */
    boolean isOpen();

    /** Frees the object, unless it was moved; idempotent. */
    @Override
    void close();
}
