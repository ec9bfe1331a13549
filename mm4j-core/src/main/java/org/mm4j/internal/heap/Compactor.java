package org.mm4j.internal.heap;

import java.lang.foreign.MemorySegment;
import org.mm4j.heap.GarbageCollector.Compaction;
import org.mm4j.internal.heap.Globals.IntStack;

/**
 * Compaction of the old space, with the world stopped: every page of small objects less than half used
 * is withdrawn from allocation, its objects move to fuller pages (one handle-table entry rewritten per
 * object) and the emptied pages go back to the OS. Pinned and frozen objects stay where they are.
 */
final class Compactor {
    /** Old pages less used than this are evacuated by a compaction. */
    static final double SPARSE_PAGE_OCCUPANCY = 0.5;

    private final HeapImpl heap;
    private final HandleTable table;
    private final Nursery nursery;
    private final MemorySegment view = HeapImpl.VIEW;

    Compactor(HeapImpl heap) {
        this.heap = heap;
        this.table = heap.table;
        this.nursery = heap.nursery;
    }

    /** Moves objects out of sparse old pages. */
    Compaction evacuateSparsePages() {
        long before = heap.old.metrics().committedBytes();
        long[] ranges = heap.old.withdrawSparsePages(SPARSE_PAGE_OCCUPANCY);
        IntStack movable = new IntStack();
        if (ranges.length > 0) {
            table.forEachLive(id -> {
                long a = table.addressOf(id);
                if (!nursery.contains(a) && inRanges(ranges, a) && !heap.isPinned(id) && !isFrozen(a)) {
                    movable.push(id);
                }
            });
        }
        long moved = 0;
        long movedBytes = 0;
        for (int i = 0; i < movable.size(); i++) {
            int id = movable.get(i);
            long from = table.addressOf(id);
            long size = HeapImpl.objectBytes(from);
            long to;
            try {
                to = heap.old.allocateAddress(size);
            } catch (org.mm4j.os.MemoryLimitExceededException e) {
                break; // every move so far is complete; the rest stay where they are
            }
            MemorySegment.copy(view, from, view, to, size);
            table.setAddress(id, to);
            heap.old.freeAddress(from);
            moved++;
            movedBytes += size;
        }
        heap.old.reclaimAll();
        return new Compaction(ranges.length / 2, moved, movedBytes, before, heap.old.metrics().committedBytes());
    }

    private boolean isFrozen(long address) {
        return (ObjectHeader.flags(ObjectHeader.read(view, address)) & ObjectHeader.FROZEN) != 0;
    }

    private static boolean inRanges(long[] ranges, long address) {
        int lo = 0;
        int hi = ranges.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (address < ranges[2 * mid]) {
                hi = mid - 1;
            } else if (address >= ranges[2 * mid + 1]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }
}
