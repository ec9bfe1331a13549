package org.mm4j.heap;

/** A field of kind {@link Kind#LONG}: a 64-bit signed integer, 8-byte aligned. */
public final class LongField extends Field {
    LongField(String name, Type type, int offset) {
        super(name, type, Kind.LONG, offset);
    }
}
