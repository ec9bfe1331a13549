package org.mm4j.heap;

import org.mm4j.internal.heap.GlobalHandleImpl;

/**
 * A handle that does not keep its object alive. When a collection finds the object unreachable, the
 * handle is cleared and its callback, if any, runs on the collecting thread once the collection is over
 * (callbacks may use the heap). As with V8's weak callbacks, a callback may never run: not if the
 * handle is closed first, nor if the heap is closed.
 */
public sealed interface WeakGlobal extends AutoCloseable permits GlobalHandleImpl.Weak {

    /** The object as a handle in the current handle scope, or 0 once cleared. */
    long get();

    /** Whether a collection found the object unreachable. */
    boolean isCleared();

    /** Stops tracking the object; idempotent. */
    @Override
    void close();
}
