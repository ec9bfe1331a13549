package org.mm4j.heap;

import org.mm4j.internal.heap.HandleScopeImpl;

/**
 * A thread's scope of local handles (V8's {@code HandleScope}): every handle the heap returns on this
 * thread while the scope is the innermost open one is a root until the scope closes. Scopes nest and
 * close in the reverse order of opening, on the thread that opened them.
 *
 * <pre>{@code
 * try (HandleScope scope = heap.openHandleScope()) {
 *     long patient = heap.allocate(PATIENT);
 *     heap.set(patient, AGE, 42);
 *     registry.set(patient);          // a global handle keeps it beyond the scope
 * }
 * }</pre>
 */
public sealed interface HandleScope extends AutoCloseable permits HandleScopeImpl {

    /**
     * Hands {@code handle} to the enclosing scope, so that it stays a root after this scope closes, and
     * returns it. At most one handle per scope escapes (as V8's {@code EscapableHandleScope}).
     *
     * @throws IllegalStateException if this is the thread's outermost scope, a handle escaped already, or
     *     the scope is closed
     * @throws StaleHandleException if the handle's object is gone
     */
    long escape(long handle);

    /** Drops this scope's handles as roots. Closing a scope that is not the innermost open one throws. */
    @Override
    void close();
}
