package org.mm4j.heap;

/** A field of kind {@link Kind#BOOLEAN}: a truth value in one byte. */
public final class BooleanField extends Field {
    BooleanField(String name, Type type, int offset) {
        super(name, type, Kind.BOOLEAN, offset);
    }
}
