package org.mm4j.internal.heap;

import java.lang.foreign.MemorySegment;
import java.util.function.IntPredicate;
import org.mm4j.internal.heap.Globals.IntStack;

/**
 * Minor collections: the nursery's copying collector, and the remembered set it starts from. Every method
 * runs with the world stopped.
 *
 * <p>Roots are the threads' handle stacks and the global roots ({@link Roots}), and the reference fields of
 * old objects in the remembered set (the write barrier's record of old objects that may refer to young
 * ones — the old space is never scanned). Live young objects are copied (Cheney's breadth-first scan)
 * into the to-survivor, or promoted to the old space once they have survived the tenuring threshold or
 * when the to-survivor is full. A move rewrites the object's handle-table entry and nothing else:
 * references are ids. Eden and the from-survivor are then walked: an object whose entry still points at it
 * was not copied, so it is dead and its id is freed. The cost is proportional to the live young objects
 * plus a walk of the headers of the nursery's objects.
 *
 * <p><b>Marking.</b> The minor collection that starts a marking cycle ({@link Marking}) greys every root
 * and flags every young object it copies {@link ObjectHeader#SNAPSHOT}: after it, that flag tells the
 * objects that existed when marking started (which marking must trace if they were reachable then) from
 * those allocated since. While a cycle runs, an object promoted without the flag is new and is marked as it
 * arrives ({@link Marking#promoted}); and while it sweeps, condemned old objects in the remembered set are
 * not roots (nothing live refers to what they refer to).
 */
final class Scavenger {
    private final HeapImpl heap;
    private final HandleTable table;
    private final Nursery nursery;
    private final Marking marking;
    private final MemorySegment view = HeapImpl.VIEW;

    /** Ids of old objects in the remembered set; each has the REMEMBERED header flag. */
    private IntStack remembered = new IntStack();

    // state of one minor collection
    private long toTop;
    private long toEnd;
    private boolean promoteAll;
    /** Whether this collection starts marking. */
    private boolean starting;
    private final IntStack promoted = new IntStack();
    private final IntStack dead = new IntStack();
    long collectedObjects;
    long collectedBytes;
    long survivedObjects;
    long promotedBytes;

    private final IntPredicate evacuateEach = id -> {
        evacuate(id);
        return false;
    };
    private final IntPredicate isYoung = this::isYoung;

    Scavenger(HeapImpl heap, Marking marking) {
        this.heap = heap;
        this.table = heap.table;
        this.nursery = heap.nursery;
        this.marking = marking;
    }

    /** Takes a thread's barrier records into the remembered set. */
    void gather(Mutator m) {
        for (int i = 0; i < m.rememberedCount; i++) {
            remembered.push(m.remembered[i]);
        }
        m.rememberedCount = 0;
    }

    /**
     * A minor collection. {@code promoteEverything}: every live young object goes to the old space (for a
     * freeze); {@code startMarking}: marking starts in this pause (see the class comment).
     */
    void collect(boolean promoteEverything, boolean startMarking) {
        collectedObjects = 0;
        collectedBytes = 0;
        survivedObjects = 0;
        promotedBytes = 0;
        promoteAll = promoteEverything;
        toTop = nursery.toBase();
        toEnd = toTop + nursery.survivorBytes;
        promoted.clear();
        starting = startMarking;
        Roots.forEachStackAndGlobal(heap, id -> {
            if (startMarking && id != 0) {
                marking.greyInPause(id);
            }
            evacuate(id);
        });
        if (startMarking) { // the snapshot includes what open scopes' objects refer to
            Roots.forEachScopeReference(heap, marking::greyInPause);
        }
        boolean sweeping = marking.phase() == Marking.SWEEPING;
        for (int i = 0; i < remembered.size(); i++) {
            int id = remembered.get(i);
            if (isLiveOrOpenScoped(id)) {
                long a = table.addressOf(id);
                if (!(sweeping && marking.isCondemned(id, a))) {
                    References.any(a, evacuateEach);
                }
            }
        }
        long scan = nursery.toBase();
        int next = 0;
        while (scan < toTop || next < promoted.size()) {
            while (scan < toTop) {
                References.any(scan, evacuateEach);
                scan += HeapImpl.objectBytes(scan);
            }
            while (next < promoted.size()) {
                References.any(table.addressOf(promoted.get(next++)), evacuateEach);
            }
        }
        starting = false;
        sweepNursery(nursery.base, nursery.edenTop());
        sweepNursery(nursery.fromBase(), nursery.fromTop);
        rebuildRememberedSet();
        nursery.flip(toTop);
    }

    /** Copies a young object out of eden or the from-survivor, once; anything else is left alone. */
    private void evacuate(int id) {
        if (id == 0) {
            return;
        }
        long from = table.addressOf(id);
        if (!nursery.inFromSpaces(from)) {
            return; // old, or copied already
        }
        long header = ObjectHeader.read(view, from);
        long size = HeapImpl.objectBytes(from);
        int age = Math.min(ObjectHeader.age(header) + 1, HeapConfig.MAX_TENURING_THRESHOLD);
        long to;
        if (!promoteAll && age < heap.config.tenuringThreshold() && toEnd - toTop >= size) {
            to = toTop;
            toTop += size;
        } else {
            to = heap.old.allocateAddress(size);
            heap.oldBytes.addAndGet(size);
            heap.oldObjects.incrementAndGet();
            promotedBytes += size;
            promoted.push(id);
            if (!starting) {
                marking.promoted(id, header);
            }
        }
        MemorySegment.copy(view, from, view, to, size);
        long moved = ObjectHeader.withAge(header, age);
        if (starting) {
            moved = ObjectHeader.withFlags(moved, ObjectHeader.flags(moved) | ObjectHeader.SNAPSHOT);
        }
        ObjectHeader.write(view, to, moved);
        table.setAddress(id, to);
        survivedObjects++;
    }

    /** Frees the ids of the objects in [start, end) that were not copied out. */
    private void sweepNursery(long start, long end) {
        long a = start;
        while (a < end) {
            long header = ObjectHeader.read(view, a);
            if (ObjectHeader.typeId(header) == ObjectHeader.FILLER_TYPE) {
                a += Integer.toUnsignedLong(ObjectHeader.id(header));
                continue;
            }
            long size = HeapImpl.objectBytes(a);
            int id = ObjectHeader.id(header);
            if (table.isLive(id) && table.addressOf(id) == a) {
                dead.push(id);
                collectedObjects++;
                collectedBytes += size;
            }
            a += size;
        }
        table.freeAll(dead.items(), dead.size());
        dead.clear();
    }

    /** Keeps exactly the old objects that refer to young ones, flagged, in the remembered set. */
    private void rebuildRememberedSet() {
        IntStack kept = new IntStack();
        keepIfReferringToYoung(remembered, kept);
        keepIfReferringToYoung(promoted, kept);
        remembered = kept;
    }

    private void keepIfReferringToYoung(IntStack candidates, IntStack kept) {
        boolean sweeping = marking.phase() == Marking.SWEEPING;
        for (int i = 0; i < candidates.size(); i++) {
            int id = candidates.get(i);
            if (!isLiveOrOpenScoped(id)) {
                continue;
            }
            long a = table.addressOf(id);
            if (sweeping && marking.isCondemned(id, a)) {
                continue; // dead, and what it refers to may be freed already: no longer a root of anything
            }
            long header = ObjectHeader.read(view, a);
            boolean young = refersToYoung(a);
            boolean flagged = (ObjectHeader.flags(header) & ObjectHeader.REMEMBERED) != 0;
            if (young && !flagged) {
                ObjectHeader.write(view, a, ObjectHeader.withFlags(header,
                        ObjectHeader.flags(header) | ObjectHeader.REMEMBERED));
                kept.push(id);
            } else if (!young && flagged) {
                ObjectHeader.write(view, a, ObjectHeader.withFlags(header,
                        ObjectHeader.flags(header) & ~ObjectHeader.REMEMBERED));
            } else if (young) {
                kept.push(id); // flagged and still needed; duplicates were prevented by the flag
            }
        }
    }

    private boolean refersToYoung(long address) {
        return References.any(address, isYoung);
    }

    private boolean isYoung(int id) {
        return nursery.contains(table.addressOf(id));
    }

    /** After a sweep freed objects: drops the freed ones from the remembered set. */
    void dropDeadRemembered() {
        IntStack kept = new IntStack();
        for (int i = 0; i < remembered.size(); i++) {
            if (isLiveOrOpenScoped(remembered.get(i))) {
                kept.push(remembered.get(i));
            }
        }
        remembered = kept;
    }

    /**
     * Whether {@code id} is a live object or an object of an open scope: either may be in the remembered
     * set (a scoped object outside the nursery that refers to a young one is remembered as an old one is).
     * Ids of closed scopes are given back at the start of a collection ({@link ScopeRegistry#reclaim}),
     * before the remembered set is scanned and rebuilt here, which drops them.
     */
    private boolean isLiveOrOpenScoped(int id) {
        return table.isLive(id) || heap.scopes.isOpenScoped(id);
    }

    /**
     * Moves the young object {@code id} to the old space (for a pin), remembering it if it refers to young
     * objects. Throws, changing nothing, if the old space has no room.
     */
    void promote(int id) {
        long from = table.addressOf(id);
        long size = HeapImpl.objectBytes(from);
        long to = heap.old.allocateAddress(size); // may throw: nothing changed yet
        MemorySegment.copy(view, from, view, to, size);
        table.setAddress(id, to);
        heap.oldBytes.addAndGet(size);
        heap.oldObjects.incrementAndGet();
        marking.promoted(id, ObjectHeader.read(view, to));
        if (refersToYoung(to)) {
            long header = ObjectHeader.read(view, to);
            ObjectHeader.write(view, to, ObjectHeader.withFlags(header,
                    ObjectHeader.flags(header) | ObjectHeader.REMEMBERED));
            remembered.push(id);
        }
    }

    /** For verification: calls {@code action} with every id in the remembered set. */
    void forEachRemembered(java.util.function.IntConsumer action) {
        for (int i = 0; i < remembered.size(); i++) {
            action.accept(remembered.get(i));
        }
    }
}
