package org.mm4j.internal.heap;

import java.lang.foreign.MemorySegment;
import java.util.function.IntPredicate;
import org.mm4j.internal.heap.Globals.IntStack;
import org.mm4j.internal.heap.Globals.LongStack;

/**
 * Minor collections: the nursery's copying collector, and the remembered set it starts from. Every method
 * runs with the world stopped.
 *
 * <p>Roots are the threads' handle stacks and the global roots ({@link Roots}), and the reference fields of
 * old objects in the remembered set (the write barrier's record of old objects, and cards of long arrays,
 * that may refer to young ones: {@link Cards} — the old space is never scanned). Live young objects are
 * copied (Cheney's breadth-first scan) into the to-survivor, or promoted to the old space once they have
 * survived the tenuring threshold or when the to-survivor is full; the threshold drops to one collection
 * while most survivors keep surviving ({@link Tenuring}). A move rewrites the object's handle-table entry
 * and nothing else: references are ids. The next remembered set is built during the same scan: each
 * remembered entry, and each promoted object, stays in it if a referent is still young afterwards. Eden and
 * the from-survivor are then walked: an object whose entry still points at it was not copied, so it is
 * dead and its id is freed. The cost is proportional to the live young objects, the slots the remembered
 * set names, and a walk of the headers of the nursery's objects.
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

    /**
     * The remembered set ({@link Cards}): old objects, each with the REMEMBERED header flag, and cards of
     * long arrays, that may refer to young objects.
     */
    private LongStack remembered = new LongStack();
    /** The next remembered set, built during a minor collection; swapped with {@link #remembered}. */
    private LongStack nextRemembered = new LongStack();

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

    private int threshold;
    private final Tenuring tenuring = new Tenuring();
    /** Bytes copied this collection of objects that had survived a collection before. */
    private long agedBytes;
    /** Whether the scan of the current holder saw a reference to an object young after evacuation. */
    private boolean sawYoung;

    /** Evacuates each referent, noting in {@link #sawYoung} whether one stays young. */
    private final IntPredicate evacuateEach = id -> {
        sawYoung |= evacuate(id);
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
        m.lastRemembered = -1;
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
        threshold = tenuring.thresholdFor(heap.config.tenuringThreshold());
        agedBytes = 0;
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
        LongStack kept = nextRemembered;
        kept.clear();
        boolean sweeping = marking.phase() == Marking.SWEEPING;
        for (int i = 0; i < remembered.size(); i++) {
            long entry = remembered.get(i);
            int id = Cards.id(entry);
            if (isLiveOrOpenScoped(id)) {
                long a = table.addressOf(id);
                // a young object here has a reused id (see Sweeper): what it names is gone, and a young
                // object is scanned if reached anyway
                if (!nursery.contains(a) && !(sweeping && marking.isCondemned(id, a))) {
                    entry = Cards.fit(entry, a);
                    sawYoung = false;
                    References.anyInEntry(a, entry, evacuateEach);
                    keep(entry, a, kept);
                }
                // a condemned holder is dead, and what it refers to may be freed already: dropped
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
                int id = promoted.get(next++);
                long a = table.addressOf(id);
                sawYoung = false;
                References.any(a, evacuateEach);
                keep(Cards.whole(id), a, kept);
            }
        }
        starting = false;
        kept.sortDistinct();
        nextRemembered = remembered;
        remembered = kept;
        heap.oldBytes.addAndGet(promotedBytes);
        heap.oldObjects.addAndGet(promoted.size());
        tenuring.collected(nursery.fromTop - nursery.fromBase(), agedBytes);
        sweepNursery(nursery.base, nursery.edenTop(), true);
        sweepNursery(nursery.fromBase(), nursery.fromTop, false);
        heap.pretenuring.collected();
        nursery.flip(toTop);
    }

    /**
     * After scanning what the remembered-set entry {@code entry} names of the object at {@code address}
     * (or a promoted object, as a whole entry): keeps the entry, flagged, if the scan saw a reference
     * to a young object — or, for a long array, the cards that refer to young objects.
     */
    private void keep(long entry, long address, LongStack kept) {
        long header = ObjectHeader.read(view, address);
        if (Cards.cardOf(entry) < 0 && Cards.carded(address, header)) {
            if (sawYoung) {
                keepCards(Cards.id(entry), address, kept);
            }
            return;
        }
        boolean flagged = (ObjectHeader.flags(header) & ObjectHeader.REMEMBERED) != 0;
        if (sawYoung) {
            kept.push(entry);
        }
        if (sawYoung != flagged && Cards.cardOf(entry) < 0) {
            ObjectHeader.write(view, address, ObjectHeader.withFlags(header,
                    ObjectHeader.flags(header) ^ ObjectHeader.REMEMBERED));
        }
    }

    /**
     * Copies a young object out of eden or the from-survivor, once; anything else is left alone. Returns
     * whether the object is young afterwards (copied to the to-survivor, now or before).
     */
    private boolean evacuate(int id) {
        if (id == 0) {
            return false;
        }
        long from = table.addressOf(id);
        if (!nursery.inFromSpaces(from)) {
            return nursery.contains(from); // old (or scoped), or copied already
        }
        long header = ObjectHeader.read(view, from);
        long size = HeapImpl.objectBytes(from);
        int age = Math.min(ObjectHeader.age(header) + 1, HeapConfig.MAX_TENURING_THRESHOLD);
        if (age > 1) {
            agedBytes += size;
        } else {
            heap.pretenuring.survived(ObjectHeader.typeId(header), size);
        }
        long to;
        boolean young = !promoteAll && age < threshold && toEnd - toTop >= size && tenuring.staysYoung(id);
        if (young) {
            to = toTop;
            toTop += size;
        } else {
            to = heap.old.allocateAddress(size);
            promotedBytes += heap.old.blockBytes(size);
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
        return young;
    }

    /**
     * Frees the ids of the objects in [start, end) that were not copied out; for eden, counts every
     * object's bytes by type for {@link Pretenuring}.
     */
    private void sweepNursery(long start, long end, boolean eden) {
        long a = start;
        while (a < end) {
            long header = ObjectHeader.read(view, a);
            if (ObjectHeader.typeId(header) == ObjectHeader.FILLER_TYPE) {
                a += Integer.toUnsignedLong(ObjectHeader.id(header));
                continue;
            }
            long size = HeapImpl.objectBytes(a);
            if (eden) {
                heap.pretenuring.inEden(ObjectHeader.typeId(header), size);
            }
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

    /** Keeps the cards of array {@code id} at {@code address} that refer to young objects. */
    private void keepCards(int id, long address, LongStack kept) {
        int length = ObjectHeader.arrayLength(view, address);
        for (int c = 0; c <= (length - 1) / Cards.SLOTS; c++) {
            int first = Cards.firstSlot(c);
            if (References.anyInSlots(address, first, Cards.endSlot(c, length), isYoung)) {
                kept.push(Cards.card(id, first));
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
        remembered.retain(entry -> isLiveOrOpenScoped(Cards.id(entry)));
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
        heap.oldBytes.addAndGet(heap.old.blockBytes(size));
        heap.oldObjects.incrementAndGet();
        marking.promoted(id, ObjectHeader.read(view, to));
        sawYoung = refersToYoung(to);
        keep(Cards.whole(id), to, remembered);
    }

    /** For verification: calls {@code action} with every entry ({@link Cards}) in the remembered set. */
    void forEachRemembered(java.util.function.LongConsumer action) {
        for (int i = 0; i < remembered.size(); i++) {
            action.accept(remembered.get(i));
        }
    }

    /**
     * Adaptive tenuring. When most of what survived one minor collection survives the next as well,
     * copying survivors into the survivor space first only doubles the copying (and a minor collection's
     * pause) for objects that end old anyway: then survivors are promoted at their first collection.
     * Every {@link #PROBE}th collection keeps a sample of the survivors young (the ids that are multiples
     * of {@link #SAMPLE}, under the configured threshold), so that the next one measures again how much of
     * the survivor space survives, at an eighth of the cost of keeping them all. Survivor spaces holding
     * less than {@link #MIN_SAMPLE} (an eighth of it after a probe) are not acted on but copied as
     * configured: cheap, and too small a sample.
     */
    static final class Tenuring {
        /** Promote at once when more than this share of the survivor space's bytes survives. */
        static final double SURVIVAL = 0.5;
        static final int PROBE = 16;
        /** A probe keeps young the survivors whose id is a multiple of this (a power of two). */
        static final int SAMPLE = 8;
        /** Survivor bytes below which a collection's survival is not acted on. */
        static final long MIN_SAMPLE = 64 << 10;
        private boolean direct;
        private boolean probing;
        private boolean probed;
        private int sinceProbe;

        /** The threshold for the next collection, for a configured {@code threshold}. */
        int thresholdFor(int configured) {
            probed = probing;
            probing = false;
            if (configured <= 1 || !direct) {
                return configured;
            }
            if (++sinceProbe >= PROBE) {
                sinceProbe = 0;
                probing = true;
                return configured;
            }
            return 1;
        }

        /** Whether {@code id}, under the threshold, stays young: in a probe, only the sample does. */
        boolean staysYoung(int id) {
            return !probing || (id & (SAMPLE - 1)) == 0;
        }

        /** A collection found {@code survivorBytes} in the from-survivor and copied {@code agedBytes} of them. */
        void collected(long survivorBytes, long agedBytes) {
            if (survivorBytes >= (probed ? MIN_SAMPLE / SAMPLE : MIN_SAMPLE)) {
                direct = agedBytes > SURVIVAL * survivorBytes;
            } else if (survivorBytes > 0) {
                direct = false; // few survivors: copying them costs little, and says little
            }
        }
    }
}
