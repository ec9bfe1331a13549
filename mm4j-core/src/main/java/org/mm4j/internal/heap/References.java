package org.mm4j.internal.heap;

import java.lang.foreign.ValueLayout;
import java.util.function.IntPredicate;
import org.mm4j.heap.Kind;
import org.mm4j.heap.Type;

/** The reference slots of an object: what every collector's tracing walks. */
final class References {
    private References() {}

    /**
     * Tests the non-null references (ids) of the object at {@code address} in order, stopping at the
     * first for which {@code test} is true; returns whether there was one.
     */
    static boolean any(long address, IntPredicate test) {
        Type type = Type.ofId(ObjectHeader.typeId(ObjectHeader.read(HeapImpl.VIEW, address)));
        if (type.isArray()) {
            return type.elementKind() == Kind.REF
                    && anyInSlots(address, 0, ObjectHeader.arrayLength(HeapImpl.VIEW, address), test);
        }
        for (int i = 0; i < type.refCount(); i++) {
            int id = HeapImpl.VIEW.get(ValueLayout.JAVA_INT, address + type.refOffset(i));
            if (id != 0 && test.test(id)) {
                return true;
            }
        }
        return false;
    }

    /**
     * As {@link #any}, for slots [{@code from}, {@code to}) of the array of references at {@code address}
     * (the caller knows it is one and that the slots are in it).
     */
    static boolean anyInSlots(long address, int from, int to, IntPredicate test) {
        for (int i = from; i < to; i++) {
            int id = HeapImpl.VIEW.get(ValueLayout.JAVA_INT, address + HeapImpl.ARRAY_BASE + 4L * i);
            if (id != 0 && test.test(id)) {
                return true;
            }
        }
        return false;
    }

    /**
     * As {@link #any}, for what the remembered-set entry {@code entry} ({@link Cards}) names of the object
     * at {@code address}: the whole object, or one card of it.
     */
    static boolean anyInEntry(long address, long entry, IntPredicate test) {
        int card = Cards.cardOf(entry);
        if (card < 0) {
            return any(address, test);
        }
        int length = ObjectHeader.arrayLength(HeapImpl.VIEW, address);
        return anyInSlots(address, Cards.firstSlot(card), Cards.endSlot(card, length), test);
    }

    /** Array elements traced in one step; a longer array leaves the rest as a continuation. */
    static final int ARRAY_CHUNK = 2048;

    /**
     * The tracing step of {@link Marking}: marks every unmarked object that the object {@code id} at
     * {@code address} refers to, from slot {@code from} on, and pushes it on {@code grey}. An array of
     * references longer than {@link #ARRAY_CHUNK} from {@code from} is traced one chunk at a time: the
     * rest is pushed as a continuation, {@code from + ARRAY_CHUNK} then {@code ~id} (a negative entry), so
     * that no step is longer than a chunk. Returns the slots read.
     */
    static int markEach(int id, long address, int from, MarkBitmap marks, Globals.IntStack grey) {
        return markEach(id, address, ObjectHeader.read(HeapImpl.VIEW, address), from, marks, grey);
    }

    /** As {@link #markEach(int, long, int, MarkBitmap, Globals.IntStack)}, the object's header read already. */
    static int markEach(int id, long address, long header, int from, MarkBitmap marks, Globals.IntStack grey) {
        Type type = Type.ofId(ObjectHeader.typeId(header));
        if (type.isArray()) {
            if (type.elementKind() != Kind.REF) {
                return 0;
            }
            int length = ObjectHeader.arrayLength(HeapImpl.VIEW, address);
            int end = length;
            if (length - from > ARRAY_CHUNK) {
                end = from + ARRAY_CHUNK;
                grey.push(end);
                grey.push(~id);
            }
            for (int i = from; i < end; i++) {
                int ref = HeapImpl.VIEW.get(ValueLayout.JAVA_INT, address + HeapImpl.ARRAY_BASE + 4L * i);
                if (ref != 0 && marks.mark(ref)) {
                    grey.push(ref);
                }
            }
            return end - from;
        }
        int count = type.refCount();
        for (int i = 0; i < count; i++) {
            int ref = HeapImpl.VIEW.get(ValueLayout.JAVA_INT, address + type.refOffset(i));
            if (ref != 0 && marks.mark(ref)) {
                grey.push(ref);
            }
        }
        return count;
    }
}
