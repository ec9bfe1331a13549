package org.mm4j.heap;

/** A field of kind {@link Kind#BYTE}: a signed byte. */
public final class ByteField extends Field {
    ByteField(String name, Type type, int offset) {
        super(name, type, Kind.BYTE, offset);
    }
}
