package org.mm4j.heap;

/** A field of kind {@link Kind#CHAR}: a 16-bit UTF-16 code unit, 2-byte aligned. */
public final class CharField extends Field {
    CharField(String name, Type type, int offset) {
        super(name, type, Kind.CHAR, offset);
    }
}
