package org.mm4j.heap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The layout of a managed object, declared at run time: a struct of named fields, or an array of one
 * {@link Kind} of elements. The heap allocates objects of a type, reads and writes their fields through
 * the type's {@link Field}s, and traces their references with {@link #refCount()} and
 * {@link #refOffset(int)}.
 *
 * <h2>Struct layout</h2>
 *
 * <p>Every object starts with an 8-byte header ({@link #HEADER_BYTES}) that holds, among the heap's
 * flags, the 20-bit id of its type. A struct's fields follow the header, packed by descending alignment
 * as the JVM packs a Java object's fields, so that bytes per object compare with Java objects:
 * <ol>
 *   <li>{@code LONG} and {@code DOUBLE} fields (8-byte aligned),
 *   <li>{@code INT}, {@code FLOAT} and {@code REF} fields (4-byte aligned),
 *   <li>{@code SHORT} and {@code CHAR} fields (2-byte aligned),
 *   <li>{@code BYTE} and {@code BOOLEAN} fields and {@link BytesField}s (unaligned),
 * </ol>
 * in declaration order within each group. Each field is aligned to its own size without any padding:
 * the header ends 8-aligned, and every group before the last is a whole number of its own alignment, so
 * it ends aligned for the next. The fixed size ({@link #fixedBytes()}) is the header plus the fields,
 * rounded up to 8; only that rounding is padding. It is at most {@link #MAX_FIXED_BYTES}. A struct
 * {@code Patient} with fields {@code id long, age int, weight double, sex byte, code bytes(8),
 * visits ref}:
 *
 * <pre>
 *   0        8    16       24    28       32    33        41    48
 *   | header | id | weight | age | visits | sex | code[8] | pad |
 * </pre>
 *
 * <h2>Array layout</h2>
 *
 * <p>An array has the header, a length word ({@link #ARRAY_LENGTH_BYTES}: an {@code int} length and 4
 * bytes of padding), then its elements from offset 16, each of its element kind's size {@code e}, with
 * the total rounded up to 8 ({@link #instanceBytes(long)}). An array of {@code REF} holds object ids;
 * the collector traces its elements, since an array has no reference fields.
 *
 * <pre>
 *   0        8        12    16          16+e        16+2e
 *   | header | length | pad | element 0 | element 1 | ... | pad to 8 |
 * </pre>
 *
 * <h2>Identity and the registry</h2>
 *
 * <p>Each type built gets the next id of a process-wide counter, from 1 to {@link #MAX_TYPES}; 0 is
 * never an id. {@link #ofId(int)} finds the type of an id without a lock, which is how the heap reads an
 * object's type from its header. Types are never unregistered, so a program should build each of its
 * types once, typically into a {@code static final} constant, with its fields beside it:
 *
 * {@snippet :
 * static final Type PATIENT = Type.struct("Patient")
 *         .longField("id").intField("age").doubleField("weight")
 *         .byteField("sex").bytesField("code", 8).refField("visits")
 *         .build();
 * static final IntField AGE = PATIENT.intField("age");
 * }
 *
 * <p>Types are immutable and safe to share between threads. Equality is identity: two types built from
 * the same declarations are distinct, with distinct ids. Type names need not be unique.
 */
public final class Type {
    /** The bytes of the header every object starts with. */
    public static final int HEADER_BYTES = 8;

    /** The bytes of an array's length word after the header: an {@code int} length and 4 bytes of padding. */
    public static final int ARRAY_LENGTH_BYTES = 8;

    /** The largest type id, and so the most types a process can build: 20 bits in the header, 0 reserved. */
    public static final int MAX_TYPES = (1 << 20) - 1;

    /** The largest fixed size of a struct, header included: 1 MiB. */
    public static final int MAX_FIXED_BYTES = 1 << 20;

    /** The longest {@link BytesField}. */
    public static final int MAX_BYTES_FIELD_LENGTH = 65_535;

    /** The largest instance of any type, a multiple of 8: arrays are at most this long. */
    public static final int MAX_INSTANCE_BYTES = Integer.MAX_VALUE - 7;

    private static final Registry<Type> REGISTRY = new Registry<>(MAX_TYPES);

    private final String name;
    private final int id;
    /** The element kind of an array; null for a struct. */
    private final Kind elementKind;
    private final int fixedBytes;
    private final long maxLength;
    /** In declaration order. */
    private final List<Field> fields;
    private final Map<String, Field> fieldsByName;
    /** The offsets of the reference fields, ascending (which is also their declaration order). */
    private final int[] refOffsets;

    /**
     * Lays out a struct's fields (none for an array) as the class comment says; the fields are made here
     * with this type as theirs, and are reachable only through this type's final fields.
     */
    private Type(String name, int id, Kind elementKind, List<Declared> declared) {
        this.name = name;
        this.id = id;
        this.elementKind = elementKind;
        Field[] inDeclarationOrder = new Field[declared.size()];
        int end = HEADER_BYTES;
        for (int alignment = Long.BYTES; alignment >= 1; alignment /= 2) {
            for (int i = 0; i < inDeclarationOrder.length; i++) {
                Declared d = declared.get(i);
                if (d.alignment() == alignment) {
                    // end is a multiple of alignment here: see "Struct layout" in the class comment
                    inDeclarationOrder[i] = d.create(this, end);
                    end += d.byteSize();
                }
            }
        }
        Map<String, Field> byName = new HashMap<>();
        for (Field f : inDeclarationOrder) {
            byName.put(f.name(), f);
        }
        this.fields = List.of(inDeclarationOrder);
        this.fieldsByName = Map.copyOf(byName);
        this.refOffsets = Arrays.stream(inDeclarationOrder)
                .filter(RefField.class::isInstance)
                .mapToInt(Field::offset)
                .sorted()
                .toArray();
        if (elementKind == null) {
            this.fixedBytes = roundUpTo8(end);
            this.maxLength = 0;
        } else {
            this.fixedBytes = HEADER_BYTES + ARRAY_LENGTH_BYTES;
            this.maxLength = ((long) MAX_INSTANCE_BYTES - fixedBytes) / elementKind.byteSize();
        }
    }

    /**
     * Starts the declaration of a struct type.
     *
     * @throws IllegalArgumentException if {@code name} is null or blank
     */
    public static Builder struct(String name) {
        checkName(name, "type name");
        return new Builder(name);
    }

    /**
     * Builds an array type of {@code element}s and registers it.
     *
     * @throws IllegalArgumentException if {@code name} is null or blank, or {@code element} is null
     * @throws IllegalStateException if {@link #MAX_TYPES} types have been built
     */
    public static Type arrayOf(String name, Kind element) {
        checkName(name, "type name");
        if (element == null) {
            throw new IllegalArgumentException("element kind of array type " + name + " is null");
        }
        return register(REGISTRY, name, element, List.of());
    }

    /**
     * The type of {@code id}.
     *
     * @throws IllegalArgumentException if no type has that id (none was built with it yet)
     */
    public static Type ofId(int id) {
        Type type = REGISTRY.get(id);
        if (type == null) {
            throw new IllegalArgumentException(id < 1 || id > MAX_TYPES
                    ? "type id " + id + " is out of range 1.." + MAX_TYPES
                    : "no type has id " + id);
        }
        return type;
    }

    /** The name given when the type was declared. */
    public String name() {
        return name;
    }

    /** The type's id, unique in the process, in {@code 1 .. }{@link #MAX_TYPES}. */
    public int id() {
        return id;
    }

    /** Whether this is an array type; otherwise it is a struct. */
    public boolean isArray() {
        return elementKind != null;
    }

    /**
     * The kind of this array type's elements.
     *
     * @throws IllegalStateException if this is a struct type
     */
    public Kind elementKind() {
        if (elementKind == null) {
            throw new IllegalStateException(name + " is a struct, not an array: it has no element kind");
        }
        return elementKind;
    }

    /**
     * The bytes of an object before any array elements, a multiple of 8: a struct's header and fields
     * rounded up to 8, so its whole size; an array's header and length word, 16, where its elements start.
     */
    public int fixedBytes() {
        return fixedBytes;
    }

    /**
     * The bytes of an instance of {@code length} elements, a multiple of 8: for an array
     * {@link #fixedBytes()} plus {@code length} elements, rounded up to 8; for a struct, whose length is
     * always 0, {@link #fixedBytes()}.
     *
     * @throws IllegalArgumentException if {@code length} is negative or above {@link #maxLength()}
     *     (for a struct: not 0)
     */
    public long instanceBytes(long length) {
        if (elementKind == null) {
            if (length != 0) {
                throw new IllegalArgumentException(
                        name + " is a struct, not an array: its instances have length 0, not " + length);
            }
            return fixedBytes;
        }
        if (length < 0 || length > maxLength) {
            throw new IllegalArgumentException("length " + length + " of array type " + name
                    + " is out of range 0.." + maxLength);
        }
        return roundUpTo8(fixedBytes + length * elementKind.byteSize());
    }

    /**
     * The largest length an array of this type can have: the largest whose {@link #instanceBytes(long)}
     * is at most {@link #MAX_INSTANCE_BYTES}. 0 for a struct.
     */
    public long maxLength() {
        return maxLength;
    }

    /** The fields of a struct in declaration order (not layout order), unmodifiable; empty for an array. */
    public List<Field> fields() {
        return fields;
    }

    /**
     * The field called {@code name}.
     *
     * @throws IllegalArgumentException if this type has no such field (the message lists its fields)
     */
    public Field field(String name) {
        if (name == null) {
            throw new IllegalArgumentException("field name is null (asked of " + this.name + ")");
        }
        Field field = fieldsByName.get(name);
        if (field == null) {
            throw new IllegalArgumentException(noSuchField(name));
        }
        return field;
    }

    /**
     * The {@link Kind#BYTE} field called {@code name}.
     *
     * @throws IllegalArgumentException if there is no such field, or it is of another kind
     */
    public ByteField byteField(String name) {
        return typedField(name, ByteField.class, Kind.BYTE.name());
    }

    /**
     * The {@link Kind#BOOLEAN} field called {@code name}.
     *
     * @throws IllegalArgumentException if there is no such field, or it is of another kind
     */
    public BooleanField booleanField(String name) {
        return typedField(name, BooleanField.class, Kind.BOOLEAN.name());
    }

    /**
     * The {@link Kind#SHORT} field called {@code name}.
     *
     * @throws IllegalArgumentException if there is no such field, or it is of another kind
     */
    public ShortField shortField(String name) {
        return typedField(name, ShortField.class, Kind.SHORT.name());
    }

    /**
     * The {@link Kind#CHAR} field called {@code name}.
     *
     * @throws IllegalArgumentException if there is no such field, or it is of another kind
     */
    public CharField charField(String name) {
        return typedField(name, CharField.class, Kind.CHAR.name());
    }

    /**
     * The {@link Kind#INT} field called {@code name}.
     *
     * @throws IllegalArgumentException if there is no such field, or it is of another kind
     */
    public IntField intField(String name) {
        return typedField(name, IntField.class, Kind.INT.name());
    }

    /**
     * The {@link Kind#FLOAT} field called {@code name}.
     *
     * @throws IllegalArgumentException if there is no such field, or it is of another kind
     */
    public FloatField floatField(String name) {
        return typedField(name, FloatField.class, Kind.FLOAT.name());
    }

    /**
     * The {@link Kind#LONG} field called {@code name}.
     *
     * @throws IllegalArgumentException if there is no such field, or it is of another kind
     */
    public LongField longField(String name) {
        return typedField(name, LongField.class, Kind.LONG.name());
    }

    /**
     * The {@link Kind#DOUBLE} field called {@code name}.
     *
     * @throws IllegalArgumentException if there is no such field, or it is of another kind
     */
    public DoubleField doubleField(String name) {
        return typedField(name, DoubleField.class, Kind.DOUBLE.name());
    }

    /**
     * The {@link Kind#REF} field called {@code name}.
     *
     * @throws IllegalArgumentException if there is no such field, or it is of another kind
     */
    public RefField refField(String name) {
        return typedField(name, RefField.class, Kind.REF.name());
    }

    /**
     * The fixed-length byte array field called {@code name}.
     *
     * @throws IllegalArgumentException if there is no such field, or it is a single byte or of another kind
     */
    public BytesField bytesField(String name) {
        return typedField(name, BytesField.class, "BYTES");
    }

    /** The number of reference fields of a struct; 0 for an array (an array of REF is traced by element). */
    public int refCount() {
        return refOffsets.length;
    }

    /**
     * The byte offset, from the object's start, of the {@code i}-th reference field; offsets ascend with
     * {@code i}, which is also the reference fields' declaration order.
     *
     * @throws IndexOutOfBoundsException if {@code i} is not in {@code 0 .. refCount() - 1}
     */
    public int refOffset(int i) {
        return refOffsets[Objects.checkIndex(i, refOffsets.length)];
    }

    /**
     * The layout as text over several lines: for a struct, every field in layout order with its offset,
     * size and kind, the header, any padding and the total; for an array, its header, length word,
     * element size and largest length.
     */
    public String describe() {
        StringBuilder out = new StringBuilder();
        if (elementKind != null) {
            int size = elementKind.byteSize();
            out.append(name).append(": array of ").append(elementKind).append(", type id ").append(id)
                    .append('\n');
            appendRow(out, "offset", "bytes", "");
            appendRow(out, 0, HEADER_BYTES, "header");
            appendRow(out, HEADER_BYTES, Integer.BYTES, "length: INT");
            appendRow(out, HEADER_BYTES + Integer.BYTES, ARRAY_LENGTH_BYTES - Integer.BYTES, "padding");
            appendRow(out, Integer.toString(fixedBytes), size + "*n", "elements: " + elementKind);
            out.append("  total ").append(fixedBytes).append(" + ").append(size)
                    .append("*n bytes, rounded up to 8; n at most ").append(maxLength).append('\n');
            return out.toString();
        }
        out.append(name).append(": struct, type id ").append(id).append(", ").append(fixedBytes)
                .append(" bytes\n");
        appendRow(out, "offset", "bytes", "");
        appendRow(out, 0, HEADER_BYTES, "header");
        int end = HEADER_BYTES;
        int padding = 0;
        List<Field> inLayoutOrder = fields.stream().sorted(Comparator.comparingInt(Field::offset)).toList();
        for (Field f : inLayoutOrder) {
            if (f.offset() > end) { // never with this packing: shown all the same, should it change
                appendRow(out, end, f.offset() - end, "padding");
                padding += f.offset() - end;
            }
            appendRow(out, f.offset(), f.byteSize(), f.name() + ": " + f.kindLabel());
            end = f.offset() + f.byteSize();
        }
        if (fixedBytes > end) {
            appendRow(out, end, fixedBytes - end, "padding");
            padding += fixedBytes - end;
        }
        out.append("  total ").append(fixedBytes).append(" bytes: ").append(HEADER_BYTES).append(" header, ")
                .append(fixedBytes - HEADER_BYTES - padding).append(" in ").append(fields.size())
                .append(fields.size() == 1 ? " field, " : " fields, ").append(padding).append(" padding\n");
        return out.toString();
    }

    /** A short form: {@code Type[Patient#3, 48 bytes]}, or {@code Type[Samples#4, DOUBLE[]]} for an array. */
    @Override
    public String toString() {
        String size = elementKind == null ? fixedBytes + " bytes" : elementKind + "[]";
        return "Type[" + name + "#" + id + ", " + size + "]";
    }

    private <F extends Field> F typedField(String name, Class<F> fieldClass, String wanted) {
        Field field = field(name);
        if (!fieldClass.isInstance(field)) {
            throw new IllegalArgumentException(
                    "field '" + name + "' of " + this.name + " is " + field.kindLabel() + ", not " + wanted);
        }
        return fieldClass.cast(field);
    }

    private String noSuchField(String name) {
        if (elementKind != null) {
            return name + " is not a field of " + this.name + ": an array of " + elementKind
                    + " has no fields";
        }
        if (fields.isEmpty()) {
            return this.name + " has no field '" + name + "': it has no fields";
        }
        return this.name + " has no field '" + name + "'; its fields are "
                + fields.stream().map(Field::name).collect(Collectors.joining(", "));
    }

    private static void appendRow(StringBuilder out, int offset, int bytes, String what) {
        appendRow(out, Integer.toString(offset), Integer.toString(bytes), what);
    }

    private static void appendRow(StringBuilder out, String offset, String bytes, String what) {
        out.append(String.format(Locale.ROOT, "  %7s %7s  %s", offset, bytes, what).stripTrailing())
                .append('\n');
    }

    private static int roundUpTo8(int bytes) {
        return (bytes + 7) & -8;
    }

    private static long roundUpTo8(long bytes) {
        return (bytes + 7) & -8L;
    }

    private static void checkName(String name, String what) {
        if (name == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException(what + " is blank: '" + name + "'");
        }
    }

    /** Takes the next id of {@code registry}, makes the type and publishes it. */
    private static Type register(
            Registry<Type> registry, String name, Kind elementKind, List<Declared> declared) {
        int id = registry.reserveId();
        if (id == 0) {
            throw new IllegalStateException("cannot build type " + name + ": all " + registry.limit()
                    + " type ids are taken. Types are never unregistered: build each type once, as a static"
                    + " final constant, rather than per use");
        }
        Type type = new Type(name, id, elementKind, declared);
        registry.publish(id, type);
        return type;
    }

    /** A field as declared to a builder: {@code length} is that of a bytes field, 0 for one value. */
    private record Declared(String name, Kind kind, int length) {
        int byteSize() {
            return length == 0 ? kind.byteSize() : length;
        }

        int alignment() {
            return length == 0 ? kind.byteSize() : 1;
        }

        Field create(Type type, int offset) {
            return switch (kind) {
                case BYTE -> length == 0
                        ? new ByteField(name, type, offset)
                        : new BytesField(name, type, offset, length);
                case BOOLEAN -> new BooleanField(name, type, offset);
                case SHORT -> new ShortField(name, type, offset);
                case CHAR -> new CharField(name, type, offset);
                case INT -> new IntField(name, type, offset);
                case FLOAT -> new FloatField(name, type, offset);
                case LONG -> new LongField(name, type, offset);
                case DOUBLE -> new DoubleField(name, type, offset);
                case REF -> new RefField(name, type, offset);
            };
        }
    }

    /**
     * Declares a struct type's fields, in any order (the layout sorts them), then {@linkplain #build()
     * builds} it once. Every method checks its arguments before it changes anything: after an exception
     * the builder is as it was. A builder is for one thread.
     */
    public static final class Builder {
        private final String typeName;
        private final List<Declared> declared = new ArrayList<>();
        private final Set<String> names = new HashSet<>();
        /** The header and every field's bytes: where the fields end, as the layout has no gaps. */
        private long fieldsEnd = HEADER_BYTES;
        private boolean built;

        private Builder(String typeName) {
            this.typeName = typeName;
        }

        /**
         * Adds a {@link Kind#BYTE} field.
         *
         * @throws IllegalArgumentException if {@code name} is null, blank or already a field's, or the struct
         *     would exceed {@link Type#MAX_FIXED_BYTES}
         * @throws IllegalStateException if the type was already built
         */
        public Builder byteField(String name) {
            return add(name, Kind.BYTE, 0);
        }

        /**
         * Adds a {@link Kind#BOOLEAN} field.
         *
         * @throws IllegalArgumentException if {@code name} is null, blank or already a field's, or the struct
         *     would exceed {@link Type#MAX_FIXED_BYTES}
         * @throws IllegalStateException if the type was already built
         */
        public Builder booleanField(String name) {
            return add(name, Kind.BOOLEAN, 0);
        }

        /**
         * Adds a {@link Kind#SHORT} field.
         *
         * @throws IllegalArgumentException if {@code name} is null, blank or already a field's, or the struct
         *     would exceed {@link Type#MAX_FIXED_BYTES}
         * @throws IllegalStateException if the type was already built
         */
        public Builder shortField(String name) {
            return add(name, Kind.SHORT, 0);
        }

        /**
         * Adds a {@link Kind#CHAR} field.
         *
         * @throws IllegalArgumentException if {@code name} is null, blank or already a field's, or the struct
         *     would exceed {@link Type#MAX_FIXED_BYTES}
         * @throws IllegalStateException if the type was already built
         */
        public Builder charField(String name) {
            return add(name, Kind.CHAR, 0);
        }

        /**
         * Adds an {@link Kind#INT} field.
         *
         * @throws IllegalArgumentException if {@code name} is null, blank or already a field's, or the struct
         *     would exceed {@link Type#MAX_FIXED_BYTES}
         * @throws IllegalStateException if the type was already built
         */
        public Builder intField(String name) {
            return add(name, Kind.INT, 0);
        }

        /**
         * Adds a {@link Kind#FLOAT} field.
         *
         * @throws IllegalArgumentException if {@code name} is null, blank or already a field's, or the struct
         *     would exceed {@link Type#MAX_FIXED_BYTES}
         * @throws IllegalStateException if the type was already built
         */
        public Builder floatField(String name) {
            return add(name, Kind.FLOAT, 0);
        }

        /**
         * Adds a {@link Kind#LONG} field.
         *
         * @throws IllegalArgumentException if {@code name} is null, blank or already a field's, or the struct
         *     would exceed {@link Type#MAX_FIXED_BYTES}
         * @throws IllegalStateException if the type was already built
         */
        public Builder longField(String name) {
            return add(name, Kind.LONG, 0);
        }

        /**
         * Adds a {@link Kind#DOUBLE} field.
         *
         * @throws IllegalArgumentException if {@code name} is null, blank or already a field's, or the struct
         *     would exceed {@link Type#MAX_FIXED_BYTES}
         * @throws IllegalStateException if the type was already built
         */
        public Builder doubleField(String name) {
            return add(name, Kind.DOUBLE, 0);
        }

        /**
         * Adds a {@link Kind#REF} field: a reference to another managed object, held as its object id.
         *
         * @throws IllegalArgumentException if {@code name} is null, blank or already a field's, or the struct
         *     would exceed {@link Type#MAX_FIXED_BYTES}
         * @throws IllegalStateException if the type was already built
         */
        public Builder refField(String name) {
            return add(name, Kind.REF, 0);
        }

        /**
         * Adds a fixed-length byte array of {@code length} bytes, unaligned.
         *
         * @throws IllegalArgumentException if {@code length} is not in
         *     1 .. {@link Type#MAX_BYTES_FIELD_LENGTH}, {@code name} is null, blank or already a field's, or
         *     the struct would exceed {@link Type#MAX_FIXED_BYTES}
         * @throws IllegalStateException if the type was already built
         */
        public Builder bytesField(String name, int length) {
            checkNotBuilt();
            if (length < 1 || length > MAX_BYTES_FIELD_LENGTH) {
                throw new IllegalArgumentException("length of bytes field '" + name + "' of " + typeName
                        + " is " + length + ", not in 1.." + MAX_BYTES_FIELD_LENGTH);
            }
            return add(name, Kind.BYTE, length);
        }

        /**
         * Lays out the fields and registers the type under the next id. The builder is spent: every later
         * call on it throws.
         *
         * @throws IllegalStateException if the type was already built, or {@link Type#MAX_TYPES} types have
         *     been built
         */
        public Type build() {
            return build(REGISTRY);
        }

        /** {@link #build()} against another registry: for tests of an exhausted id space. */
        Type build(Registry<Type> registry) {
            checkNotBuilt();
            Type type = register(registry, typeName, null, declared);
            built = true;
            return type;
        }

        private Builder add(String name, Kind kind, int length) {
            checkNotBuilt();
            checkName(name, "field name in " + typeName);
            if (names.contains(name)) {
                throw new IllegalArgumentException(typeName + " already has a field '" + name + "'");
            }
            Declared field = new Declared(name, kind, length);
            long end = fieldsEnd + field.byteSize();
            if (roundUpTo8(end) > MAX_FIXED_BYTES) {
                throw new IllegalArgumentException("field '" + name + "' would make " + typeName + " "
                        + roundUpTo8(end) + " bytes; a struct's fixed size is at most " + MAX_FIXED_BYTES
                        + " bytes (1 MiB): keep large data in arrays");
            }
            declared.add(field);
            names.add(name);
            fieldsEnd = end;
            return this;
        }

        private void checkNotBuilt() {
            if (built) {
                throw new IllegalStateException("the builder of " + typeName + " was already built: declare"
                        + " another type with Type.struct");
            }
        }
    }
}
