package org.mm4j.internal.heap;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.function.IntConsumer;
import org.mm4j.heap.StaleHandleException;
import org.mm4j.internal.heap.Globals.IntStack;

/**
 * The scopes of one heap, by number: the number a SCOPED handle-table entry holds. Decides on access to
 * scoped objects for the {@link HandleTable} ({@link #checkAccess}), and keeps closed scopes until their ids
 * go back to the table.
 *
 * <h2>Life of a number</h2>
 * <pre>
 *   free --open--&gt; OPEN --close--&gt; CLOSED, ids pending --reclaim (world stopped)--&gt; free
 * </pre>
 * Reclaiming is bounded per pause (about 50 ns an id): each minor collection gives back a chunk sized to
 * the pause target, and opening a scope with more than {@link #RECLAIM_THRESHOLD} ids pending first runs
 * pauses of one chunk each until they are fewer.
 * A number is reused only after every id of its closed scope was freed, which moved their generations
 * on; so a stale handle never meets a later scope under the same number. Reclaiming runs with the world
 * stopped, which orders it before every later operation of every thread.
 *
 * <h2>Concurrency</h2>
 * {@code scopes} is replaced (grown) and written under the registry's lock and read without it: a handle
 * to a scoped object reaches another thread only after the scope was registered (the scope was made
 * before the object), through a happens-before edge of the program's, which covers the write of the slot.
 */
final class ScopeRegistry implements HandleTable.ScopeGuard {
    /** Ids of closed scopes above which opening a scope first gives them back, in a pause. */
    static final long RECLAIM_THRESHOLD = 1L << 20;

    private final HeapImpl heap;
    private volatile ScopeImpl[] scopes = new ScopeImpl[16];
    private final IntStack freeNumbers = new IntStack();
    private int nextNumber = 1;
    private final ArrayDeque<ScopeImpl> closed = new ArrayDeque<>();
    private long pendingIds;
    /** Ids of the oldest closed scope given back so far. */
    private int reclaimedOfOldest;
    private int open;

    ScopeRegistry(HeapImpl heap) {
        this.heap = heap;
    }

    /** Gives {@code scope} a number. */
    synchronized int register(ScopeImpl scope) {
        int number;
        if (!freeNumbers.isEmpty()) {
            number = freeNumbers.pop();
        } else if (nextNumber <= HandleTable.MAX_USER_FLAGS) {
            number = nextNumber++;
        } else {
            throw new IllegalStateException("heap '" + heap.name() + "' has " + HandleTable.MAX_USER_FLAGS
                    + " scopes open or waiting for their ids to be reclaimed");
        }
        ScopeImpl[] s = scopes;
        if (number >= s.length) {
            s = Arrays.copyOf(s, Math.min(HandleTable.MAX_USER_FLAGS + 1, s.length * 2));
        }
        s[number] = scope;
        scopes = s;
        open++;
        return number;
    }

    /** Queues a closed scope's ids for reclaiming. */
    synchronized void closed(ScopeImpl scope) {
        closed.add(scope);
        pendingIds += scope.ids().size();
        open--;
    }

    /** Whether closed scopes' ids are many enough to reclaim before opening another scope. */
    synchronized boolean reclaimDue() {
        return pendingIds > RECLAIM_THRESHOLD || (nextNumber > HandleTable.MAX_USER_FLAGS && freeNumbers.isEmpty()
                && !closed.isEmpty());
    }

    /** Ids of closed scopes not yet given back. */
    synchronized long pendingIds() {
        return pendingIds;
    }

    /** Scopes open now. */
    synchronized int openCount() {
        return open;
    }

    /**
     * Frees up to {@code maxIds} ids of closed scopes, oldest scope first, and the numbers of the scopes
     * whose ids are all free; returns how many ids it freed. With the world stopped, at the start of a
     * collection (before the remembered set is scanned, which drops the freed ids from it) or in a pause
     * of its own. A scope partly given back keeps its number, so its remaining ids stay stale.
     */
    synchronized long reclaim(long maxIds) {
        long freed = 0;
        ScopeImpl s;
        while (freed < maxIds && (s = closed.peek()) != null) {
            IntStack ids = s.ids();
            int from = reclaimedOfOldest;
            int to = (int) Math.min(ids.size(), from + (maxIds - freed));
            heap.table.freeScoped(ids.items(), from, to);
            freed += to - from;
            if (to < ids.size()) {
                reclaimedOfOldest = to;
            } else {
                closed.poll();
                reclaimedOfOldest = 0;
                scopes[s.number()] = null;
                freeNumbers.push(s.number());
            }
        }
        pendingIds -= freed;
        return freed;
    }

    /** The scope with this number, or null. */
    ScopeImpl scope(int number) {
        return scopes[number];
    }

    /** Runs {@code action} on every object of every open scope. With the world stopped. */
    void forEachOpenObject(IntConsumer action) {
        for (ScopeImpl s : scopes) {
            if (s != null && s.isOpen()) {
                IntStack ids = s.ids();
                for (int i = 0; i < ids.size(); i++) {
                    action.accept(ids.get(i));
                }
            }
        }
    }

    /** Whether {@code id} is an object of an open scope. */
    boolean isOpenScoped(int id) {
        int number = heap.table.scopeOf(id);
        return number != 0 && isOpen(number);
    }

    @Override
    public void checkAccess(int number, long handle) {
        ScopeImpl s = scopes[number];
        if (s == null || !s.isOpen()) {
            throw new StaleHandleException(handle, "handle 0x" + Long.toHexString(handle) + " of heap '"
                    + heap.name() + "' is stale: its object belonged to a scope that is closed");
        }
        s.checkThread();
    }

    @Override
    public boolean isOpen(int number) {
        ScopeImpl s = scopes[number];
        return s != null && s.isOpen();
    }
}
