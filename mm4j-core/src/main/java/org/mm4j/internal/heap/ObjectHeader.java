package org.mm4j.internal.heap;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The layout of an object's header: one 8-byte word at the object's start.
 *
 * <pre>
 *   63                 32 31                   12 11     8 7          0
 *  +---------------------+-----------------------+--------+------------+
 *  |  id (32 bits)       |  type id (20 bits)    | age 4  |  flags 8   |
 *  +---------------------+-----------------------+--------+------------+
 *
 *  flags   0x01 REMEMBERED  an old object in the remembered set (it may refer to young objects)
 *          0x02 FROZEN      in the permanent generation
 *          0x04 SNAPSHOT    young when the current (or last) marking started: set on every young object
 *                           the minor collection that starts marking copies (see {@link Marking})
 *  type 0  a filler: unused nursery space; the id bits hold its length in bytes
 *
 *  arrays: a second word, the element count (int at offset 8, 4 bytes of padding)
 * </pre>
 *
 * The id lets a collector walking memory (the nursery's spaces) find each object's handle-table entry;
 * the type gives its size and reference fields; the age counts minor collections survived.
 */
final class ObjectHeader {
    static final int REMEMBERED = 0x01;
    static final int FROZEN = 0x02;
    static final int SNAPSHOT = 0x04;

    static final int FILLER_TYPE = 0;
    static final long LENGTH_OFFSET = 8;

    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG;

    private ObjectHeader() {}

    static long make(int id, int typeId, int age, int flags) {
        return ((long) id << 32) | ((long) typeId << 12) | ((long) age << 8) | (flags & 0xFF);
    }

    static long read(MemorySegment view, long address) {
        return view.get(WORD, address);
    }

    static void write(MemorySegment view, long address, long header) {
        view.set(WORD, address, header);
    }

    static int id(long header) {
        return (int) (header >>> 32);
    }

    static int typeId(long header) {
        return (int) (header >>> 12) & 0xFFFFF;
    }

    static int age(long header) {
        return (int) (header >>> 8) & 0xF;
    }

    static int flags(long header) {
        return (int) header & 0xFF;
    }

    static long withAge(long header, int age) {
        return (header & ~0xF00L) | ((long) age << 8);
    }

    static long withFlags(long header, int flags) {
        return (header & ~0xFFL) | (flags & 0xFF);
    }

    /** Writes a filler over {@code bytes} (a positive multiple of 8) at {@code address}. */
    static void writeFiller(MemorySegment view, long address, long bytes) {
        write(view, address, make((int) bytes, FILLER_TYPE, 0, 0));
    }

    static int arrayLength(MemorySegment view, long address) {
        return view.get(ValueLayout.JAVA_INT, address + LENGTH_OFFSET);
    }
}
