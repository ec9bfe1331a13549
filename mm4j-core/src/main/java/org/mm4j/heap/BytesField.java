package org.mm4j.heap;

/**
 * A fixed-length byte array inside an object, 1 to {@value Type#MAX_BYTES_FIELD_LENGTH} bytes, unaligned:
 * short codes and text that need no object of their own. Its {@link #kind()} is {@link Kind#BYTE}.
 */
public final class BytesField extends Field {
    BytesField(String name, Type type, int offset, int length) {
        super(name, type, Kind.BYTE, offset, length);
    }

    /** The number of bytes, the same as {@link #byteSize()}. */
    public int length() {
        return byteSize();
    }

    @Override
    String kindLabel() {
        return "BYTES[" + length() + "]";
    }
}
