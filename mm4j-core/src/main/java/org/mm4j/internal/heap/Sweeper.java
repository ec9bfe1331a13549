package org.mm4j.internal.heap;

/**
 * Sweeping: frees the objects marking left unmarked. The one place where old objects are freed (and
 * young ones by a full collection); minor collections free young ids in {@link Collector}'s nursery sweep.
 *
 * <p>Every method runs with the world stopped: freeing rewrites handle-table entries and gives memory
 * back to the size-class allocator, whose pages may then be purged and unmapped, so no mutator may be
 * reading an entry or an object meanwhile (see {@link Marking} for why mutators never need one that a
 * slice is about to free). A cycle's sweep is cut into slices of bounded work ({@link #sweepSlice}), one
 * pause each; the ids are swept in ascending order from a cursor.
 */
final class Sweeper {
    /** Ids looked at per step of a slice (one lock of the handle table per step). */
    private static final int STEP = 512;

    private final HeapImpl heap;
    private final HandleTable table;
    private final Nursery nursery;
    private final Marking marking;
    private final Globals.IntStack dead = new Globals.IntStack();
    /** The next id a cycle's sweep looks at. */
    private int cursor = 1;

    /** Freed by this cycle's sweep (or by the last full sweep) so far. */
    long collectedObjects;
    long collectedBytes;
    long survivedObjects;

    Sweeper(HeapImpl heap, Marking marking) {
        this.heap = heap;
        this.table = heap.table;
        this.nursery = heap.nursery;
        this.marking = marking;
    }

    /** Starts a cycle's sweep, when marking has ended. */
    void start() {
        cursor = 1;
        collectedObjects = 0;
        collectedBytes = 0;
        survivedObjects = 0;
    }

    /**
     * One slice of a cycle's sweep: frees the condemned objects ({@link Marking#isCondemned}) among the
     * next ids, until the budget is spent. Returns true when every id has been swept. A condemned young
     * object's memory is reclaimed by the next minor collection.
     */
    boolean sweepSlice(WorkBudget budget) {
        while (true) {
            int limit = table.idLimit();
            if (cursor >= limit) {
                return true;
            }
            int end = (int) Math.min(limit, (long) cursor + STEP);
            table.forEachLive(cursor, end, id -> {
                if (marking.isCondemned(id, table.addressOf(id))) {
                    dead.push(id);
                } else {
                    survivedObjects++;
                }
            });
            int freed = dead.size();
            free();
            int swept = end - cursor;
            cursor = end;
            if (budget.spend(swept / 8 + 4 * freed)) {
                return cursor >= table.idLimit();
            }
        }
    }

    /** A full collection's sweep: frees every live object, young or old, that marking left unmarked. */
    void sweepAll() {
        table.forEachLive(id -> {
            if (!marking.isMarked(id)) {
                dead.push(id);
            } else {
                survivedObjects++;
            }
        });
        free();
    }

    /** Frees the objects in {@link #dead} and empties it. */
    private void free() {
        for (int i = 0; i < dead.size(); i++) {
            long a = table.addressOf(dead.get(i));
            long size = HeapImpl.objectBytes(a);
            if (!nursery.contains(a)) {
                heap.old.freeAddress(a);
                heap.oldBytes.addAndGet(-size);
                heap.oldObjects.decrementAndGet();
            } // a young object's memory is reclaimed when the nursery is next emptied
            collectedObjects++;
            collectedBytes += size;
        }
        table.freeAll(dead.items(), dead.size());
        dead.clear();
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
