package org.mm4j.heap;

/** A field of kind {@link Kind#SHORT}: a 16-bit signed integer, 2-byte aligned. */
public final class ShortField extends Field {
    ShortField(String name, Type type, int offset) {
        super(name, type, Kind.SHORT, offset);
    }
}
