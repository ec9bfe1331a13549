package org.mm4j.internal.heap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A thread attached to a heap: its allocation buffer in the nursery, its stack of local handles (roots),
 * its share of the remembered set, a batch of reserved ids, and its state in the stop-the-world protocol.
 *
 * <h2>The stop-the-world protocol</h2>
 * Every heap operation runs between {@link HeapImpl#enter} and {@link HeapImpl#exit}. Entering makes {@link
 * #state} {@code IN} (an odd value, written volatile) and then reads the heap's {@code stopRequested}
 * (volatile); the collector writes {@code stopRequested = true} and then reads each mutator's {@code
 * state}. In the single total order of these volatile accesses, either the collector reads {@code IN} and
 * waits for the operation to end, or the mutator reads {@code true} and steps back out before touching
 * anything — the two never both go ahead (Dekker). Leaving makes it {@code OUT} (even) with release
 * semantics, so everything the operation wrote happens-before the collector's acquiring read of {@code
 * OUT}; the collector's writes happen-before a mutator's next entry through the heap's lock, which waiting
 * mutators take.
 *
 * <p>The state word also counts the thread's operations: odd while inside one (the operation's number
 * times two plus one), even outside. A concurrent sweep ({@link Sweeper}) that unlinked entries reads every
 * other thread's word once and knows they are past any read of those entries when each word it saw was
 * even or has changed since: an operation that began after the unlinking sees the entries unlinked
 * (it wrote its word, a volatile write, before it read anything; the sweep fenced between unlinking and
 * reading the words). This is a grace period in the sense of RCU; it costs the operations nothing more
 * than the write they already make.
 *
 * <p>A thread outside any heap operation — running its own code, blocked on I/O, or dead — is {@code OUT}
 * and never delays a collection. A thread that must wait inside an operation (for a collection another
 * thread runs) steps out first.
 *
 * <p>All other fields are the owner thread's, read and written by the collector only while the owner is
 * {@code OUT} and the world stopped.
 */
final class Mutator {
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Mutator.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static final int ID_BATCH = 64;

    final Thread owner;
    /** Odd while inside an operation, even outside; see above. Through STATE. */
    @SuppressWarnings("unused") // through STATE
    private volatile int state;
    /** Operations entered (at depth 0), wrapping; the owner's. */
    private int operations;
    /** Nesting of heap operations on this thread (callbacks may use the heap). */
    int depth;

    /** The allocation buffer: [tlabTop, tlabEnd) in eden; empty when equal. */
    long tlabTop;
    long tlabEnd;

    /** Reserved ids not yet used: ids[0..idCount). */
    final int[] ids = new int[ID_BATCH];
    int idCount;

    /** Local handles (ids), the innermost scope's on top. */
    int[] handles = new int[256];
    int handleTop;
    /**
     * Open handle scopes: levels {@code [0, scopeDepth)}, the innermost last; each level's opening number
     * ({@link HandleScopeImpl#openedAt}, unique in the heap). Kept here rather than as a chain of scope
     * objects so that a scope object is referred to by nothing but the code that opened it, and the JIT
     * can leave it unallocated.
     */
    int scopeDepth;
    long[] scopeOpenedAt = new long[8];
    /** The innermost scope (region) this thread opened, or null; may have been closed by another thread. */
    ScopeImpl innerScope;

    /**
     * Remembered-set entries ({@link Cards}) this thread's stores made since the last collection: old
     * objects, and cards of long arrays, that may refer to young objects.
     */
    long[] remembered = new long[64];
    int rememberedCount;
    /** The last entry added, not added again at once (a loop storing into one card). */
    long lastRemembered = -1;

    /**
     * Ids this thread's barriers greyed while marking runs (see {@link Marking}): references its stores
     * overwrote in old objects, objects it stored or took a handle to. Handed to the markers when full (the
     * array itself, as a packet: see {@link Marking#flush}); the rest is drained in the remark pause. A
     * packet long (1,024 ids; 256 before packets were recycled), so up to that many per thread wait for
     * the remark, whose slice traces what it can in its time and leaves the rest to concurrent marking.
     */
    int[] grey = new int[Marking.PACKET];
    int greyCount;

    /** Bytes this thread allocated in the old space since it last paced them (see HeapImpl#allocateOld). */
    long oldSincePacing;

    /** Marking work this thread's assists still owe (see {@link Collector}'s assists). */
    long assistDebt;

    /** This thread's budget for slices beside running mutators ({@link WorkBudget#forSlices}), made at its first. */
    WorkBudget sliceBudget;

    /** The tracing stack of this thread's marking slices; empty between slices. */
    final Globals.IntStack markStack = new Globals.IntStack();
    /** The objects a marking slice traces together: ids, addresses, headers (see {@link Marking#slice}). */
    final int[] markIds = new int[Marking.BATCH];
    final long[] markAddresses = new long[Marking.BATCH];
    final long[] markHeaders = new long[Marking.BATCH];
    /** How many objects of the last such batch were live and traced. */
    int markTraced;

    Mutator(Thread owner) {
        this.owner = owner;
    }

    void setIn() {
        STATE.setVolatile(this, ++operations << 1 | 1);
    }

    void setOut() {
        STATE.setRelease(this, operations << 1);
    }

    boolean isIn() {
        return isIn(state());
    }

    /** The state word: odd inside an operation, and different for every operation (see above). */
    int state() {
        return (int) STATE.getAcquire(this);
    }

    static boolean isIn(int state) {
        return (state & 1) != 0;
    }

    void pushHandle(int id) {
        if (handleTop == handles.length) {
            handles = Arrays.copyOf(handles, handles.length * 2);
        }
        handles[handleTop++] = id;
    }

    void remember(long entry) {
        if (entry == lastRemembered) {
            return;
        }
        lastRemembered = entry;
        if (rememberedCount == remembered.length) {
            // cards may repeat (stores between cards without allocation): drop repeats before growing
            rememberedCount = sortDistinct(remembered, rememberedCount);
            if (rememberedCount > remembered.length / 2) {
                remembered = Arrays.copyOf(remembered, remembered.length * 2);
            }
        }
        remembered[rememberedCount++] = entry;
    }

    /** Sorts {@code items[0, size)} and drops repeated ones; returns how many are left. */
    static int sortDistinct(long[] items, int size) {
        Arrays.sort(items, 0, size);
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (kept == 0 || items[i] != items[kept - 1]) {
                items[kept++] = items[i];
            }
        }
        return kept;
    }

    boolean hasTlabRoom(long bytes) {
        return tlabEnd - tlabTop >= bytes;
    }
}
