package org.mm4j.heap;

/** A field of kind {@link Kind#INT}: a 32-bit signed integer, 4-byte aligned. */
public final class IntField extends Field {
    IntField(String name, Type type, int offset) {
        super(name, type, Kind.INT, offset);
    }
}
