package org.mm4j.internal.heap;

import org.mm4j.heap.Kind;
import org.mm4j.heap.Type;

/**
 * The remembered set's entries: a whole object, or one card of a long array of references.
 *
 * <p>A minor collection scans what the remembered set names. Remembering a whole object is right for
 * structs and short arrays, but a store into one slot of a long array (a page of a table, a bucket
 * array) would make every minor collection read every slot of it, and look each referent up in the
 * handle table. So an array of references longer than {@link #SLOTS} is remembered by <em>cards</em> of
 * {@code SLOTS} slots, as HotSpot's card table does for its old generation: the barrier names the card of
 * the slot it stored into, and the minor collection scans just that card.
 *
 * <p>An entry is a {@code long}: the object's id in the high 32 bits; in the low ones 0 for the whole
 * object, or the card's number plus one. Whole objects carry the {@link ObjectHeader#REMEMBERED} flag
 * while in the set, which keeps them in it once; carded arrays never carry it (a card may be in the set
 * more than once; a minor collection scans it each time and keeps it once).
 */
final class Cards {
    /**
     * Slots (references) per card: 64 bytes of ids, a cache line. Each slot a minor collection scans
     * costs a handle-table lookup, most often a cache miss: cards are small to keep those few.
     */
    static final int SLOTS = 16;

    private Cards() {}

    /** The entry for the whole object {@code id}. */
    static long whole(int id) {
        return Integer.toUnsignedLong(id) << 32;
    }

    /** The entry for the card of {@code slot} in array {@code id}. */
    static long card(int id, int slot) {
        return Integer.toUnsignedLong(id) << 32 | (slot / SLOTS + 1);
    }

    static int id(long entry) {
        return (int) (entry >>> 32);
    }

    /** The entry's card, or -1 for a whole object. */
    static int cardOf(long entry) {
        return (int) entry - 1;
    }

    /** Whether the object at {@code address}, of header {@code header}, is remembered by cards. */
    static boolean carded(long address, long header) {
        Type type = Type.ofId(ObjectHeader.typeId(header));
        return type.isArray() && type.elementKind() == Kind.REF
                && ObjectHeader.arrayLength(HeapImpl.VIEW, address) > SLOTS;
    }

    /**
     * {@code entry}, or the whole object's entry if its card does not fit the object at {@code address}.
     * An id that a concurrent sweep freed may be reused before a thread's share of the remembered set is
     * gathered: the entry then names a new object, perhaps no long array of references at all, and the
     * minor collection scans that object as a whole (which is never wrong, only more work).
     */
    static long fit(long entry, long address) {
        int card = cardOf(entry);
        if (card < 0) {
            return entry;
        }
        if (carded(address, ObjectHeader.read(HeapImpl.VIEW, address))
                && firstSlot(card) < ObjectHeader.arrayLength(HeapImpl.VIEW, address)) {
            return entry;
        }
        return whole(id(entry));
    }

    /** The first slot of {@code card}. */
    static int firstSlot(int card) {
        return card * SLOTS;
    }

    /** The slot after the last of {@code card} in an array of {@code length}. */
    static int endSlot(int card, int length) {
        return Math.min(length, (card + 1) * SLOTS);
    }
}
