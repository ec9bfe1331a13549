package org.mm4j.internal.heap;

import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.function.IntConsumer;

/**
 * Sweeping: frees the objects marking left unmarked. The one place where old objects are freed (and
 * young ones by a full collection); minor collections free young ids in {@link Collector}'s nursery sweep.
 *
 * <h2>A cycle's sweep runs beside the mutators</h2>
 * In steps of bounded work ({@link #step}), inside an operation (so never during a pause), on a collector
 * thread or as an allocating thread's assist; the ids are swept in ascending order from a cursor. A
 * condemned object ({@link Marking#isCondemned}) is unreachable, but a mutator may still hold a stale
 * handle to it and be reading it through the entry at this moment. So freeing it takes two steps:
 * <ol>
 *   <li><b>Unlink</b> ({@link HandleTable#unlinkAll}): the entry stops being live at once, so every operation
 *       that begins from now on finds the handle stale; the memory, the address and the generation stay.
 *       The step's unlinked objects form a batch, and a {@link GracePeriod} starts for it.</li>
 *   <li><b>Free</b>, once the batch's grace period has passed — every operation that was in progress when
 *       it was unlinked has ended: the old objects' memory goes back to the size-class allocator (whose pages
 *       may then be purged or unmapped), the ids to the handle table's reuse queue. A condemned young
 *       object's id is freed the same way; its memory is the nursery's, reclaimed by the next minor
 *       collection, which does not copy it (roots do not reach it; an unlinked holder in the remembered
 *       set is not live, and a condemned one is passed by).</li>
 * </ol>
 * So no mutator ever reads memory while it is being freed or reused, and no pause is needed to sweep: the
 * cycle ends in one short pause ({@link #finish}) that sweeps the ids handed out since the last step
 * (new objects, which survive) and frees the few batches still waiting (the world is stopped: their
 * grace periods have passed; the steps go on until at most {@link #MAX_WAITING_AT_END} wait). A full collection frees the waiting batches first ({@link #sweepAll}).
 *
 * <p>Ids freed here may be reused before the next minor collection while a thread's share of the
 * remembered set still names them; such an entry then names a new object, which the minor collection
 * scans conservatively ({@link Cards#fit}).
 *
 * <p>Not thread-safe: one thread steps at a time ({@link Collector} holds a lock around steps).
 */
final class Sweeper {
    /** Ids looked at per step: one batch, one grace period. */
    static final int STEP = 512;
    /**
     * Batches that may wait at once (about 10 KiB each, kept for reuse): past this many, a step unlinks
     * nothing more until the oldest is freed — a thread descheduled inside an operation holds them up.
     */
    static final int MAX_WAITING = 64;
    /**
     * Batches that may still wait when the steps are done: the pause that ends the sweep frees them, so
     * that pause frees at most this many batches' objects (up to {@link #STEP} each), whatever held the
     * others up.
     */
    static final int MAX_WAITING_AT_END = 2;
    /** Ids a full collection's sweep looks at before it frees the dead among them. */
    static final int SWEEP_ALL_IDS = 1 << 16;

    private final HeapImpl heap;
    private final HandleTable table;
    private final Nursery nursery;
    private final Marking marking;
    private final Globals.IntStack dead = new Globals.IntStack();
    /** Addresses of old objects to free together ({@link #freeOld}), and their count. */
    private final long[] olds = new long[STEP];
    private int queuedOld;
    /** The next id a cycle's sweep looks at. */
    private int cursor = 1;
    /** Batches unlinked and waiting for their grace period, oldest first; and spare ones. */
    private final ArrayDeque<Batch> waiting = new ArrayDeque<>();
    private final ArrayDeque<Batch> spare = new ArrayDeque<>();
    /** The batch {@link #unlinkNext} fills, and its look at each id (one, not a lambda per step). */
    private Batch filling;
    private final IntConsumer unlinkOne = this::unlinkOne;

    /**
     * Freed by this cycle's sweep (or by the last full sweep) so far: objects counted as unlinked, bytes as
     * freed (an old object's block, a young object's size).
     */
    long collectedObjects;
    long collectedBytes;
    long survivedObjects;

    /** The objects one step unlinked. */
    private static final class Batch {
        final GracePeriod grace = new GracePeriod();
        final int[] ids = new int[STEP];
        /** The old objects' addresses; 0 for a young one (the nursery's memory). */
        final long[] addresses = new long[STEP];
        int count;
    }

    Sweeper(HeapImpl heap, Marking marking) {
        this.heap = heap;
        this.table = heap.table;
        this.nursery = heap.nursery;
        this.marking = marking;
    }

    /** Starts a cycle's sweep, when marking has ended (in the remark pause). */
    void start() {
        cursor = 1;
        collectedObjects = 0;
        collectedBytes = 0;
        survivedObjects = 0;
    }

    /**
     * One step of a cycle's sweep on thread {@code self}, inside an operation: frees the batches whose
     * grace period has passed, and unlinks the condemned objects among the next ids, until the budget is
     * spent. Returns true when the cursor has passed every id handed out so far and at most
     * {@link #MAX_WAITING_AT_END} batches still wait ({@link #finish} then ends the sweep).
     */
    boolean step(Mutator self, WorkBudget budget) {
        int freed = freePassed();
        while (cursor < table.idLimit() && waiting.size() < MAX_WAITING) {
            Batch batch = unlinkNext();
            if (batch.count > 0) {
                VarHandle.fullFence(); // the unlinking writes before the reads of the threads' states
                batch.grace.start(heap.mutators, self);
                waiting.addLast(batch);
            } else {
                spare.push(batch);
            }
            int unlinked = batch.count;
            freed += freePassed();
            if (budget.spend(STEP / 8 + 2 * unlinked + 2 * freed)) {
                break;
            }
            freed = 0;
        }
        return cursor >= table.idLimit() && waiting.size() <= MAX_WAITING_AT_END;
    }

    /**
     * Unlinks the condemned objects among the next {@link #STEP} ids into a batch (a spare one if any). An old
     * object is not read: the old space tells its block's size when it frees it ({@link #flushOld}), where
     * reading each header here would be a cache miss per object. A young one's size is read from its header
     * (they are few: the cycle's first minor collection emptied eden).
     */
    private Batch unlinkNext() {
        Batch batch = spare.isEmpty() ? new Batch() : spare.pop();
        int end = (int) Math.min(table.idLimit(), (long) cursor + STEP);
        filling = batch;
        try {
            table.forEachLive(cursor, end, unlinkOne);
        } finally {
            filling = null;
        }
        long[] addresses = batch.addresses;
        for (int i = 0; i < batch.count; i++) {
            if (nursery.contains(addresses[i])) {
                collectedBytes += HeapImpl.objectBytes(addresses[i]);
                addresses[i] = 0; // the nursery's memory: a minor collection reclaims it
            }
        }
        collectedObjects += batch.count;
        table.unlinkAll(batch.ids, batch.count); // counted out of the live ids once, not each
        cursor = end;
        return batch;
    }

    /** {@link #unlinkNext}'s look at one live id: counted as surviving, or added to {@link #filling}. */
    private void unlinkOne(int id) {
        long a = table.addressOf(id);
        if (!marking.isCondemned(id, a)) {
            survivedObjects++;
            return;
        }
        Batch batch = filling;
        int i = batch.count++;
        batch.ids[i] = id;
        batch.addresses[i] = a;
    }

    /** Frees the waiting batches whose grace period has passed; returns how many objects. */
    private int freePassed() {
        int freed = 0;
        while (!waiting.isEmpty() && waiting.peekFirst().grace.passed()) {
            freed += free(waiting.pollFirst());
        }
        return freed;
    }

    /** With the world stopped: frees every waiting batch (no operation is in progress). */
    private void freeWaiting() {
        while (!waiting.isEmpty()) {
            Batch batch = waiting.pollFirst();
            batch.grace.end();
            free(batch);
        }
    }

    private int free(Batch batch) {
        int n = batch.count;
        for (int i = 0; i < n; i++) {
            if (batch.addresses[i] != 0) {
                freeOld(batch.addresses[i]);
            }
        }
        flushOld();
        table.freeUnlinked(batch.ids, n);
        batch.count = 0;
        spare.push(batch);
        return n;
    }

    /**
     * With the world stopped, after the last {@link #step}: sweeps the ids handed out since, and frees every
     * batch still waiting. The cycle's sweep is then over.
     */
    void finish() {
        while (cursor < table.idLimit()) {
            waiting.addLast(unlinkNext());
        }
        freeWaiting();
    }

    /** Whether objects were unlinked and are not freed yet (tests). */
    boolean hasWaiting() {
        return !waiting.isEmpty();
    }

    /**
     * Whether the next step can only wait: as many batches wait as may (or the ids are all passed and more
     * than {@link #MAX_WAITING_AT_END} wait), the oldest still in its period.
     */
    boolean isHeldUp() {
        boolean mustWait = waiting.size() >= MAX_WAITING
                || (cursor >= table.idLimit() && waiting.size() > MAX_WAITING_AT_END);
        return mustWait && !waiting.peekFirst().grace.passed();
    }

    /**
     * For verification: calls {@code action} with each object unlinked and not yet freed, and its address
     * if it is old (its memory the old space's, still counted there), or 0.
     */
    void forEachWaiting(WaitingObject action) {
        for (Batch batch : waiting) {
            for (int i = 0; i < batch.count; i++) {
                action.accept(batch.ids[i], batch.addresses[i]);
            }
        }
    }

    @FunctionalInterface
    interface WaitingObject {
        void accept(int id, long oldAddress);
    }

    /**
     * A full collection's sweep, with the world stopped: frees what an abandoned cycle's sweep had unlinked,
     * then every live object, young or old, that marking left unmarked — {@link #SWEEP_ALL_IDS} ids at a
     * time, so that the list of the dead stays that short (the Java heap need not hold an int per dead
     * object, millions after a churn).
     */
    void sweepAll() {
        freeWaiting();
        collectedBytes = 0; // an abandoned cycle's unlinked objects: counted with that cycle's, reset already
        for (long from = 1; from < table.idLimit(); from += SWEEP_ALL_IDS) {
            table.forEachLive((int) from, (int) Math.min(Integer.MAX_VALUE, from + SWEEP_ALL_IDS), id -> {
                if (!marking.isMarked(id)) {
                    dead.push(id);
                } else {
                    survivedObjects++;
                }
            });
            free();
        }
    }

    /** The length the list of the dead has grown to (tests). */
    int deadCapacity() {
        return dead.items().length;
    }

    /** Frees the objects in {@link #dead} and empties it. */
    private void free() {
        for (int i = 0; i < dead.size(); i++) {
            long a = table.addressOf(dead.get(i));
            if (!nursery.contains(a)) {
                freeOld(a); // its bytes counted as it is freed
            } else {
                collectedBytes += HeapImpl.objectBytes(a); // the nursery's memory, reclaimed when next emptied
            }
            collectedObjects++;
        }
        flushOld();
        table.freeAll(dead.items(), dead.size());
        dead.clear();
    }

    /**
     * Gives an old object's memory back to the old space: queued in {@link #olds} and freed with the others
     * of its batch by {@link #flushOld}, in one call (under the old space's lock, a hold per
     * {@code PagedAllocator.FREES_PER_HOLD} blocks).
     */
    private void freeOld(long address) {
        if (queuedOld == olds.length) {
            flushOld();
        }
        olds[queuedOld++] = address;
    }

    /** Frees the old objects {@link #freeOld} queued, and counts their blocks' bytes as collected. */
    private void flushOld() {
        if (queuedOld > 0) {
            long bytes = heap.old.freeAddresses(olds, queuedOld);
            heap.oldBytes.addAndGet(-bytes);
            heap.oldObjects.addAndGet(-queuedOld);
            collectedBytes += bytes;
            queuedOld = 0;
        }
    }

    /** For verification: the next id the sweep looks at. */
    int cursor() {
        return cursor;
    }

    /** Resets the counters before a full collection's sweep. */
    void resetCounts() {
        collectedObjects = 0;
        collectedBytes = 0;
        survivedObjects = 0;
    }
}
