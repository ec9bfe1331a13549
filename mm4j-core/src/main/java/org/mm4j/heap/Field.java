package org.mm4j.heap;

/**
 * A field of a managed struct {@link Type}: its name, kind and place in every instance.
 *
 * <p>Fields are made once, when their type is {@linkplain Type.Builder#build() built}, and never change:
 * every property is a final field read without computation or allocation, so a field kept in a
 * {@code static final} constant costs one load per access. There is one small final class per kind
 * ({@link IntField}, {@link RefField}, ...), so that code holding an {@code IntField} cannot read it as a
 * {@code long}; look them up with the typed methods of {@link Type} ({@link Type#intField(String)}, ...).
 *
 * <p>Equality is identity: two types never share a field object.
 */
public abstract sealed class Field
        permits ByteField, BooleanField, ShortField, CharField, IntField, FloatField, LongField, DoubleField,
                RefField, BytesField {

    private final String name;
    private final Type type;
    private final Kind kind;
    private final int offset;
    private final int byteSize;

    /** A field of a primitive or reference kind, as large as one value of it. */
    Field(String name, Type type, Kind kind, int offset) {
        this(name, type, kind, offset, kind.byteSize());
    }

    /** A field of {@code byteSize} bytes of {@code kind}'s values. */
    Field(String name, Type type, Kind kind, int offset, int byteSize) {
        this.name = name;
        this.type = type;
        this.kind = kind;
        this.offset = offset;
        this.byteSize = byteSize;
    }

    /** The field's name, unique within its type. */
    public final String name() {
        return name;
    }

    /** The struct type this field belongs to. */
    public final Type type() {
        return type;
    }

    /** The kind of the field's values: {@link Kind#BYTE} for a {@link BytesField}. */
    public final Kind kind() {
        return kind;
    }

    /** The field's byte offset from the start of an object (its header), a multiple of its alignment. */
    public final int offset() {
        return offset;
    }

    /** The bytes the field takes in an object: its kind's size, or the length of a {@link BytesField}. */
    public final int byteSize() {
        return byteSize;
    }

    /** The kind as messages and layouts show it: {@code INT}, or {@code BYTES[8]} for a bytes field. */
    String kindLabel() {
        return kind.name();
    }

    /** The field as {@code Patient.age: INT @24}. */
    @Override
    public String toString() {
        return type.name() + "." + name + ": " + kindLabel() + " @" + offset;
    }
}
