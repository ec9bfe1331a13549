package org.mm4j.heap;

/** A field of kind {@link Kind#DOUBLE}: a double-precision number, 8-byte aligned. */
public final class DoubleField extends Field {
    DoubleField(String name, Type type, int offset) {
        super(name, type, Kind.DOUBLE, offset);
    }
}
