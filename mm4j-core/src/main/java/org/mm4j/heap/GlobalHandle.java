package org.mm4j.heap;

import org.mm4j.internal.heap.GlobalHandleImpl;

/**
 * A root that outlives handle scopes (V8's persistent handle). Closing it drops the root; so does the
 * JVM's collector when this object becomes unreachable without being closed (through a
 * {@link java.lang.ref.Cleaner} action that holds only the root's slot number), at mm4j's next
 * collection.
 */
public sealed interface GlobalHandle extends AutoCloseable permits GlobalHandleImpl {

    /** The object, as a handle registered in the calling thread's current handle scope. */
    long get();

    /** Drops the root; idempotent. */
    @Override
    void close();
}
