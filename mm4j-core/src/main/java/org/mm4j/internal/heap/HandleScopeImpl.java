package org.mm4j.internal.heap;

import java.util.Arrays;
import org.mm4j.heap.Heap;
import org.mm4j.heap.HandleScope;

/**
 * A range of a thread's handle stack. Opening reserves one slot below the scope's range for the handle
 * that may {@link #escape}; that slot belongs to the enclosing scope, so the escaped handle stays a root
 * when this scope's range is dropped. Closing drops the slot too unless a handle escaped into it, so the
 * stack is back where it was before the scope opened.
 */
public final class HandleScopeImpl implements HandleScope {
    private final HeapImpl heap;
    private final Mutator mutator;
    /** Its level among the thread's open scopes: 0 for the outermost. */
    private final int depth;
    private final int escapeSlot;
    private final int base;
    /** When it opened among the heap's scopes and handle scopes. */
    final long openedAt;
    private boolean escaped;
    private boolean closed;

    HandleScopeImpl(HeapImpl heap, Mutator mutator, long openedAt) {
        this.heap = heap;
        this.openedAt = openedAt;
        this.mutator = mutator;
        this.depth = mutator.scopeDepth;
        if (depth == mutator.scopeOpenedAt.length) {
            mutator.scopeOpenedAt = Arrays.copyOf(mutator.scopeOpenedAt, depth * 2);
        }
        mutator.scopeOpenedAt[depth] = openedAt;
        mutator.pushHandle(0);
        this.escapeSlot = mutator.handleTop - 1;
        this.base = mutator.handleTop;
        mutator.scopeDepth = depth + 1;
    }

    private void checkUsable() {
        if (Thread.currentThread() != mutator.owner) {
            throw new WrongThreadException("a handle scope is used only by the thread that opened it");
        }
        if (closed) {
            throw new IllegalStateException("handle scope is closed");
        }
    }

    @Override
    public long escape(long handle) {
        checkUsable();
        if (depth == 0) {
            throw new IllegalStateException("the outermost handle scope has no enclosing scope to escape to");
        }
        if (escaped) {
            throw new IllegalStateException("a handle escaped this scope already");
        }
        Mutator m = heap.enter();
        try {
            long address = heap.addressOf(handle); // checks the handle before anything changes
            heap.checkNotEscaping(handle, m.scopeOpenedAt[depth - 1]);
            heap.holdBarrier(m, handle, address);
            m.handles[escapeSlot] = heap.isScoped(handle) ? 0 : Heap.idOf(handle);
            escaped = true;
            return handle;
        } finally {
            heap.exit(m);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != mutator.owner) {
            throw new WrongThreadException("a handle scope is closed by the thread that opened it");
        }
        if (mutator.scopeDepth != depth + 1) {
            throw new IllegalStateException("handle scopes close innermost first; an inner scope is still open");
        }
        int top = escaped ? base : escapeSlot;
        if (heap.isClosed()) {
            closed = true;
            mutator.scopeDepth = depth;
            mutator.handleTop = top;
            return;
        }
        Mutator m = heap.enter();
        try {
            m.handleTop = top;
            m.scopeDepth = depth;
            closed = true;
        } finally {
            heap.exit(m);
        }
    }
}
