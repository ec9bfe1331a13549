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
            if (type.elementKind() == Kind.REF) {
                int length = ObjectHeader.arrayLength(HeapImpl.VIEW, address);
                for (int i = 0; i < length; i++) {
                    int id = HeapImpl.VIEW.get(ValueLayout.JAVA_INT, address + HeapImpl.ARRAY_BASE + 4L * i);
                    if (id != 0 && test.test(id)) {
                        return true;
                    }
                }
            }
            return false;
        }
        for (int i = 0; i < type.refCount(); i++) {
            int id = HeapImpl.VIEW.get(ValueLayout.JAVA_INT, address + type.refOffset(i));
            if (id != 0 && test.test(id)) {
                return true;
            }
        }
        return false;
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
        Type type = Type.ofId(ObjectHeader.typeId(ObjectHeader.read(HeapImpl.VIEW, address)));
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
