package org.mm4j.heap;

/**
 * The kind of a field of a managed struct, or of the elements of a managed array: eight primitive kinds
 * sized as in Java, and {@link #REF}, a reference to another managed object stored as its 32-bit object
 * id. A value of each kind is aligned to its own size in an object.
 */
public enum Kind {
    /** A signed 8-bit integer, as a Java {@code byte}. */
    BYTE(1),
    /** A truth value stored in one byte: 0 is false, 1 is true. */
    BOOLEAN(1),
    /** A signed 16-bit integer, as a Java {@code short}. */
    SHORT(2),
    /** An unsigned 16-bit UTF-16 code unit, as a Java {@code char}. */
    CHAR(2),
    /** A signed 32-bit integer, as a Java {@code int}. */
    INT(4),
    /** An IEEE 754 single-precision number, as a Java {@code float}. */
    FLOAT(4),
    /** A signed 64-bit integer, as a Java {@code long}. */
    LONG(8),
    /** An IEEE 754 double-precision number, as a Java {@code double}. */
    DOUBLE(8),
    /**
     * A reference to a managed object: its 32-bit object id, 0 for null. The collector finds these
     * through {@link Type#refCount()} and {@link Type#refOffset(int)}.
     */
    REF(4);

    private final int byteSize;

    Kind(int byteSize) {
        this.byteSize = byteSize;
    }

    /** The bytes a value of this kind takes in an object, which is also its alignment: 1, 2, 4 or 8. */
    public int byteSize() {
        return byteSize;
    }
}
