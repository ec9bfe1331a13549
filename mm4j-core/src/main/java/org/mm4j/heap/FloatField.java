package org.mm4j.heap;

/** A field of kind {@link Kind#FLOAT}: a single-precision number, 4-byte aligned. */
public final class FloatField extends Field {
    FloatField(String name, Type type, int offset) {
        super(name, type, Kind.FLOAT, offset);
    }
}
