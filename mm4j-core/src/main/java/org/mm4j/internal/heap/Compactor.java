package org.mm4j.internal.heap;

import java.lang.foreign.MemorySegment;
import org.mm4j.heap.GarbageCollector.Compaction;
import org.mm4j.os.MemoryLimitExceededException;

/**
 * Compaction of the old space: every page of small objects less than half used is withdrawn from
 * allocation, its objects move to fuller pages (one handle-table entry rewritten per object) and the
 * emptied pages go back to the OS. Pinned and frozen objects stay where they are.
 *
 * <p>An <em>evacuation</em> runs either whole, in a full collection's pause ({@link #evacuateSparsePages}),
 * or in bounded increments ({@link #start}, then {@link #step} in pauses of their own, between which the
 * program runs): the start withdraws the pages; each step visits the next slots of the withdrawn pages
 * and moves the objects it finds, for as long as its budget allows; the last step gives the emptied pages
 * back. Nothing else needs to know: references are ids, so a move rewrites one table entry, and marking,
 * sweeping and the remembered set work by id. An object is found in a slot by its header's id, whose live
 * entry must point at that slot (a free slot's stale header fails that test). Objects freed between steps
 * are not moved; a freed slot may take a new object again (a page that gains free slots is available to
 * allocation again), which a later step moves like any other.
 */
final class Compactor {
    /** Old pages less used than this are evacuated by a compaction. */
    static final double SPARSE_PAGE_OCCUPANCY = 0.5;

    private final HeapImpl heap;
    private final HandleTable table;
    private final MemorySegment view = HeapImpl.VIEW;

    // the evacuation in progress: withdrawn pages as triples (start, end, slot size), and where it is
    private long[] pages;
    private int page;
    private long slot;
    private int pageCount;
    private long committedBefore;
    private long moved;
    private long movedBytes;

    Compactor(HeapImpl heap) {
        this.heap = heap;
        this.table = heap.table;
    }

    /** Moves objects out of sparse old pages, all in this pause. */
    Compaction evacuateSparsePages() {
        if (start()) {
            step(WorkBudget.unlimited());
        } else {
            heap.old.reclaimAll(); // no sparse page, but empty ones may wait to go back
        }
        return result();
    }

    /** Whether an evacuation is in progress (started, not yet finished or abandoned). */
    boolean isEvacuating() {
        return pages != null;
    }

    /** With the world stopped: withdraws the sparse pages; returns false if there were none. */
    boolean start() {
        committedBefore = heap.old.metrics().committedBytes();
        moved = 0;
        movedBytes = 0;
        pages = heap.old.withdrawSparsePages(SPARSE_PAGE_OCCUPANCY);
        pageCount = pages.length / 3;
        page = 0;
        slot = pages.length == 0 ? 0 : pages[0];
        if (pages.length == 0) {
            pages = null;
            return false;
        }
        return true;
    }

    /**
     * With the world stopped: visits slots of the withdrawn pages and moves the objects in them until
     * {@code budget} is spent (a unit per slot); returns true when the last page was done and the emptied
     * pages went back (or the old space ran out of room, which ends the evacuation early).
     */
    boolean step(WorkBudget budget) {
        while (page < pages.length / 3) {
            long end = pages[3 * page + 1];
            long slotSize = pages[3 * page + 2];
            while (slot < end) {
                long a = slot;
                slot += slotSize;
                if (!moveIfLive(a)) {
                    return finish();
                }
                if (budget.spend(1)) {
                    return false;
                }
            }
            page++;
            if (page < pages.length / 3) {
                slot = pages[3 * page];
            }
        }
        return finish();
    }

    /**
     * Moves the object in the slot at {@code a}, if one is there and may move; returns false, moving
     * nothing, if the old space has no room for it.
     */
    private boolean moveIfLive(long a) {
        int id = ObjectHeader.id(ObjectHeader.read(view, a));
        if (id <= 0 || !table.isLive(id) || table.addressOf(id) != a || heap.isPinned(id) || isFrozen(a)) {
            return true;
        }
        long size = HeapImpl.objectBytes(a);
        long to;
        try {
            to = heap.old.allocateAddress(size);
        } catch (MemoryLimitExceededException e) {
            return false; // every move so far is complete; the rest stay where they are
        }
        MemorySegment.copy(view, a, view, to, size);
        table.setAddress(id, to);
        heap.old.freeAddress(a);
        moved++;
        movedBytes += size;
        return true;
    }

    private boolean finish() {
        heap.old.reclaimAll();
        pages = null;
        return true;
    }

    /** Ends an evacuation in progress where it is (a full collection takes over); the pages stay withdrawn. */
    void abandon() {
        pages = null;
    }

    /** What the last evacuation did, once finished. */
    Compaction result() {
        return new Compaction(pageCount, moved, movedBytes, committedBefore, heap.old.metrics().committedBytes());
    }

    private boolean isFrozen(long address) {
        return (ObjectHeader.flags(ObjectHeader.read(view, address)) & ObjectHeader.FROZEN) != 0;
    }
}
