package org.mm4j.heap;

/**
 * A field of kind {@link Kind#REF}: a reference to a managed object, stored as its 32-bit object id
 * (0 for null), 4-byte aligned.
 */
public final class RefField extends Field {
    RefField(String name, Type type, int offset) {
        super(name, type, Kind.REF, offset);
    }
}
