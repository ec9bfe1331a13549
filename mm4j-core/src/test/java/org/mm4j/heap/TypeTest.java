package org.mm4j.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.mm4j.alloc.Seeds;

/**
 * Struct and array layouts: a worked example, seeded random field lists checked against the layout
 * rules, arrays' sizes, every error with its message, and the registry of ids.
 */
class TypeTest {

    private static Type patient() {
        return Type.struct("Patient")
                .longField("id")
                .intField("age")
                .doubleField("weight")
                .byteField("sex")
                .bytesField("code", 8)
                .refField("visits")
                .build();
    }

    private static <T extends Throwable> String messageOf(Class<T> expected, Executable call) {
        return assertThrows(expected, call).getMessage();
    }

    /** Asserts that {@code call} throws an {@link IllegalArgumentException} with {@code message}. */
    private static void assertRefused(String message, Executable call) {
        assertEquals(message, messageOf(IllegalArgumentException.class, call));
    }

    // ---- the worked example

    @Test
    void patientLaysOutEightByteFieldsFirstThenFourThenOne() {
        Type p = patient();
        assertEquals(8, p.field("id").offset());
        assertEquals(16, p.field("weight").offset());
        assertEquals(24, p.field("age").offset());
        assertEquals(28, p.field("visits").offset());
        assertEquals(32, p.field("sex").offset());
        assertEquals(33, p.field("code").offset());
        assertEquals(48, p.fixedBytes(), "8 header + 33 of fields = 41, rounded up to 8");
        assertEquals(48, p.instanceBytes(0));
        assertFalse(p.isArray());
        assertEquals(0, p.maxLength());
        assertEquals(List.of("id", "age", "weight", "sex", "code", "visits"),
                p.fields().stream().map(Field::name).toList(), "fields() keeps declaration order");
        assertEquals(1, p.refCount());
        assertEquals(28, p.refOffset(0));
        assertEquals("Type[Patient#" + p.id() + ", 48 bytes]", p.toString());
    }

    @Test
    void patientFieldsHaveTheirKindsSizesAndOwner() {
        Type p = patient();
        LongField id = p.longField("id");
        IntField age = p.intField("age");
        DoubleField weight = p.doubleField("weight");
        ByteField sex = p.byteField("sex");
        BytesField code = p.bytesField("code");
        RefField visits = p.refField("visits");
        assertEquals(List.of(id, age, weight, sex, code, visits), p.fields());
        assertEquals(List.of(Kind.LONG, Kind.INT, Kind.DOUBLE, Kind.BYTE, Kind.BYTE, Kind.REF),
                p.fields().stream().map(Field::kind).toList());
        assertEquals(List.of(8, 4, 8, 1, 8, 4), p.fields().stream().map(Field::byteSize).toList());
        assertEquals(8, code.length());
        for (Field f : p.fields()) {
            assertSame(p, f.type());
            assertSame(f, p.field(f.name()));
        }
        assertEquals("Patient.age: INT @24", age.toString());
        assertEquals("Patient.code: BYTES[8] @33", code.toString());
        assertThrows(UnsupportedOperationException.class, () -> p.fields().clear());
    }

    @Test
    void describeShowsTheLayoutRowByRow() {
        Type p = patient();
        String expected = """
                Patient: struct, type id %d, 48 bytes
                   offset   bytes
                        0       8  header
                        8       8  id: LONG
                       16       8  weight: DOUBLE
                       24       4  age: INT
                       28       4  visits: REF
                       32       1  sex: BYTE
                       33       8  code: BYTES[8]
                       41       7  padding
                  total 48 bytes: 8 header, 33 in 6 fields, 7 padding
                """.formatted(p.id());
        assertEquals(expected, p.describe());
    }

    @Test
    void describeMentionsEveryFieldOfAnyStruct() {
        Random r = new Random(7);
        for (int i = 0; i < 50; i++) {
            Type t = randomStruct(r, "Described" + i, new ArrayList<>());
            String text = t.describe();
            assertTrue(text.startsWith("Described" + i + ": struct"), text);
            assertTrue(text.contains("total " + t.fixedBytes() + " bytes"), text);
            for (Field f : t.fields()) {
                String label = f instanceof BytesField b ? "BYTES[" + b.length() + "]" : f.kind().name();
                String row = String.format(
                        Locale.ROOT, "\n%9d %7d  %s: %s\n", f.offset(), f.byteSize(), f.name(), label);
                assertTrue(text.contains(row), text);
            }
        }
        Type empty = Type.struct("Empty").build();
        assertEquals(8, empty.fixedBytes());
        assertTrue(empty.describe().contains("total 8 bytes: 8 header, 0 in 0 fields, 0 padding"),
                empty.describe());
    }

    // ---- random layouts against the rules

    static LongStream seeds() {
        return Seeds.seeds(8);
    }

    /** What a random struct was declared with, in declaration order. */
    private record Declared(String name, Kind kind, int bytesLength) {
        int byteSize() {
            return bytesLength == 0 ? kind.byteSize() : bytesLength;
        }

        int alignment() {
            return bytesLength == 0 ? kind.byteSize() : 1;
        }
    }

    private static Type randomStruct(Random r, String name, List<Declared> declared) {
        Type.Builder b = Type.struct(name);
        int n = r.nextInt(10) == 0 ? r.nextInt(200) : r.nextInt(16);
        Kind[] kinds = Kind.values();
        for (int i = 0; i < n; i++) {
            String field = "f" + i;
            if (r.nextInt(kinds.length + 1) == 0) {
                int length = r.nextInt(8) == 0 ? 1 + r.nextInt(2000) : 1 + r.nextInt(24);
                b.bytesField(field, length);
                declared.add(new Declared(field, Kind.BYTE, length));
            } else {
                Kind k = kinds[r.nextInt(kinds.length)];
                b = ADDERS.get(k).apply(b, field);
                declared.add(new Declared(field, k, 0));
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomStructsFollowTheLayoutRules(long seed) {
        Seeds.withSeed(seed, () -> {
            Random r = new Random(seed);
            for (int round = 0; round < 200; round++) {
                List<Declared> declared = new ArrayList<>();
                Type t = randomStruct(r, "Random" + round, declared);
                checkLayout(t, declared);
            }
        });
    }

    /** Checks {@code t} against the layout rules; failure messages show its layout. */
    private static void checkLayout(Type t, List<Declared> declared) {
        List<Field> fields = t.fields();
        assertEquals(declared.size(), fields.size());
        long fieldBytes = 0;
        List<Integer> refOffsets = new ArrayList<>();
        Map<Field, Integer> declarationIndex = new HashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            Declared d = declared.get(i);
            Supplier<String> where = () -> "field " + f + " of\n" + t.describe();
            assertEquals(d.name(), f.name(), where);
            assertEquals(d.kind(), f.kind(), where);
            assertEquals(d.byteSize(), f.byteSize(), where);
            assertEquals(d.bytesLength() != 0, f instanceof BytesField, where);
            assertEquals(0, f.offset() % d.alignment(), where);
            assertTrue(f.offset() >= Type.HEADER_BYTES, where);
            assertTrue(f.offset() + f.byteSize() <= t.fixedBytes(), where);
            assertSame(f, t.field(f.name()), where);
            assertSame(f, TYPED_LOOKUPS.get(kindOf(f)).apply(t, f.name()), where);
            declarationIndex.put(f, i);
            fieldBytes += f.byteSize();
            if (f.kind() == Kind.REF) {
                refOffsets.add(f.offset());
            }
        }
        assertEquals((Type.HEADER_BYTES + fieldBytes + 7) / 8 * 8, t.fixedBytes(), t::describe);
        List<Field> byOffset = fields.stream().sorted(Comparator.comparingInt(Field::offset)).toList();
        for (int i = 1; i < byOffset.size(); i++) {
            Field before = byOffset.get(i - 1);
            Field after = byOffset.get(i);
            Supplier<String> where = () -> "fields " + before + " and " + after + " of\n" + t.describe();
            assertTrue(before.offset() + before.byteSize() <= after.offset(), where);
            int alignBefore = declared.get(declarationIndex.get(before)).alignment();
            int alignAfter = declared.get(declarationIndex.get(after)).alignment();
            assertTrue(alignBefore >= alignAfter, where);
            if (alignBefore == alignAfter) {
                assertTrue(declarationIndex.get(before) < declarationIndex.get(after), where);
            }
        }
        assertEquals(refOffsets.size(), t.refCount());
        for (int i = 0; i < refOffsets.size(); i++) {
            assertEquals(refOffsets.get(i), t.refOffset(i));
        }
    }

    // ---- references

    @Test
    void refOffsetsFollowDeclarationOrderAmongTheFourByteFields() {
        Type node = Type.struct("Node")
                .refField("left")
                .longField("key")
                .intField("size")
                .refField("right")
                .byteField("colour")
                .refField("parent")
                .build();
        assertEquals(3, node.refCount());
        assertEquals(16, node.refOffset(0), "left, after key");
        assertEquals(24, node.refOffset(1), "right, after size");
        assertEquals(28, node.refOffset(2), "parent");
        assertEquals(40, node.fixedBytes());
        assertThrows(IndexOutOfBoundsException.class, () -> node.refOffset(3));
        assertThrows(IndexOutOfBoundsException.class, () -> node.refOffset(-1));
        Type leaf = Type.struct("Leaf").longField("value").build();
        assertEquals(0, leaf.refCount());
        assertThrows(IndexOutOfBoundsException.class, () -> leaf.refOffset(0));
    }

    // ---- arrays

    @ParameterizedTest
    @EnumSource(Kind.class)
    void arraysHaveAHeaderALengthWordAndElementsRoundedUpTo8(Kind k) {
        Type a = Type.arrayOf(k + "s", k);
        int e = k.byteSize();
        assertTrue(a.isArray());
        assertSame(k, a.elementKind());
        assertEquals(16, a.fixedBytes());
        assertEquals(Type.HEADER_BYTES + Type.ARRAY_LENGTH_BYTES, a.fixedBytes());
        assertEquals(16, a.instanceBytes(0));
        for (long n = 1; n < 40; n++) {
            long raw = 16 + n * e;
            long expected = raw % 8 == 0 ? raw : raw + 8 - raw % 8;
            assertEquals(expected, a.instanceBytes(n), "length " + n);
        }
        assertEquals((Integer.MAX_VALUE - 7 - 16) / e, a.maxLength());
        assertTrue(a.instanceBytes(a.maxLength()) <= Type.MAX_INSTANCE_BYTES);
        assertTrue(16 + (a.maxLength() + 1) * e > Type.MAX_INSTANCE_BYTES, "maxLength is the largest");
        assertEquals(List.of(), a.fields());
        assertEquals(0, a.refCount());
        assertEquals("Type[" + k + "s#" + a.id() + ", " + k + "[]]", a.toString());
    }

    @Test
    void maxLengthsOfEachElementSize() {
        assertEquals(2_147_483_624L, Type.arrayOf("Bytes", Kind.BYTE).maxLength());
        assertEquals(1_073_741_812L, Type.arrayOf("Chars", Kind.CHAR).maxLength());
        assertEquals(536_870_906L, Type.arrayOf("Ids", Kind.REF).maxLength());
        assertEquals(268_435_453L, Type.arrayOf("Samples", Kind.DOUBLE).maxLength());
        assertEquals(Type.MAX_INSTANCE_BYTES, Type.arrayOf("Longs", Kind.LONG).instanceBytes(268_435_453L));
    }

    @Test
    void arrayLengthsOutOfRangeAreRefused() {
        Type samples = Type.arrayOf("Samples", Kind.DOUBLE);
        assertRefused("length -1 of array type Samples is out of range 0..268435453",
                () -> samples.instanceBytes(-1));
        assertRefused("length 268435454 of array type Samples is out of range 0..268435453",
                () -> samples.instanceBytes(268_435_454L));
        assertThrows(IllegalArgumentException.class, () -> samples.instanceBytes(Long.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> samples.instanceBytes(Long.MIN_VALUE));
    }

    @Test
    void structsHaveLengthZeroAndNoElementKind() {
        Type p = patient();
        assertRefused("Patient is a struct, not an array: its instances have length 0, not 1",
                () -> p.instanceBytes(1));
        assertThrows(IllegalArgumentException.class, () -> p.instanceBytes(-1));
        assertEquals("Patient is a struct, not an array: it has no element kind",
                messageOf(IllegalStateException.class, p::elementKind));
    }

    @Test
    void arraysHaveNoFields() {
        Type samples = Type.arrayOf("Samples", Kind.DOUBLE);
        assertRefused("length is not a field of Samples: an array of DOUBLE has no fields",
                () -> samples.field("length"));
        assertThrows(IllegalArgumentException.class, () -> samples.doubleField("x"));
        assertThrows(IndexOutOfBoundsException.class, () -> samples.refOffset(0));
    }

    @Test
    void describeOfAnArrayGivesItsElementsAndLargestLength() {
        Type samples = Type.arrayOf("Samples", Kind.DOUBLE);
        String expected = """
                Samples: array of DOUBLE, type id %d
                   offset   bytes
                        0       8  header
                        8       4  length: INT
                       12       4  padding
                       16     8*n  elements: DOUBLE
                  total 16 + 8*n bytes, rounded up to 8; n at most 268435453
                """.formatted(samples.id());
        assertEquals(expected, samples.describe());
    }

    // ---- errors in declarations

    /** Each builder method that adds a field of one kind, by kind. */
    private static final Map<Kind, BiFunction<Type.Builder, String, Type.Builder>> ADDERS =
            Map.of(
                    Kind.BYTE, Type.Builder::byteField,
                    Kind.BOOLEAN, Type.Builder::booleanField,
                    Kind.SHORT, Type.Builder::shortField,
                    Kind.CHAR, Type.Builder::charField,
                    Kind.INT, Type.Builder::intField,
                    Kind.FLOAT, Type.Builder::floatField,
                    Kind.LONG, Type.Builder::longField,
                    Kind.DOUBLE, Type.Builder::doubleField,
                    Kind.REF, Type.Builder::refField);

    /** The ten ways to add a field, the bytes field with 8 bytes, by label. */
    static Stream<Arguments> adders() {
        Stream<Arguments> scalar = ADDERS.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> Arguments.of(e.getKey().name(), e.getValue()));
        BiFunction<Type.Builder, String, Type.Builder> bytes = (b, name) -> b.bytesField(name, 8);
        return Stream.concat(scalar, Stream.of(Arguments.of("BYTES", bytes)));
    }

    @Test
    void typeNamesMustBeGiven() {
        assertRefused("type name is null", () -> Type.struct(null));
        assertRefused("type name is blank: ''", () -> Type.struct(""));
        assertRefused("type name is blank: ' \t'", () -> Type.struct(" \t"));
        assertRefused("type name is null", () -> Type.arrayOf(null, Kind.INT));
        assertRefused("type name is blank: ' '", () -> Type.arrayOf(" ", Kind.INT));
        assertRefused("element kind of array type Ints is null", () -> Type.arrayOf("Ints", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adders")
    void fieldNamesMustBeGivenAndUnique(String label, BiFunction<Type.Builder, String, Type.Builder> add) {
        Type.Builder b = Type.struct("Patient").intField("age");
        assertRefused("field name in Patient is null", () -> add.apply(b, null));
        assertRefused("field name in Patient is blank: ''", () -> add.apply(b, ""));
        assertRefused("field name in Patient is blank: '  '", () -> add.apply(b, "  "));
        assertRefused("Patient already has a field 'age'", () -> add.apply(b, "age"));
        assertSame(b, add.apply(b, "other"), "adding returns the builder");
        assertRefused("Patient already has a field 'other'", () -> b.longField("other"));
        Type t = b.build();
        assertEquals(List.of("age", "other"), t.fields().stream().map(Field::name).toList(),
                "refused declarations left nothing behind");
    }

    @Test
    void bytesFieldLengthsAreOneTo65535() {
        Type.Builder b = Type.struct("Patient");
        assertRefused("length of bytes field 'code' of Patient is 0, not in 1..65535",
                () -> b.bytesField("code", 0));
        assertRefused("length of bytes field 'code' of Patient is -1, not in 1..65535",
                () -> b.bytesField("code", -1));
        assertRefused("length of bytes field 'code' of Patient is 65536, not in 1..65535",
                () -> b.bytesField("code", 65_536));
        Type t = b.bytesField("one", 1).bytesField("most", Type.MAX_BYTES_FIELD_LENGTH).build();
        assertEquals(1, t.bytesField("one").length());
        assertEquals(65_535, t.bytesField("most").length());
        assertEquals(9, t.bytesField("most").offset());
        assertEquals((8 + 1 + 65_535 + 7) / 8 * 8, t.fixedBytes());
    }

    @Test
    void structsAreAtMostOneMebibyte() {
        Type.Builder b = Type.struct("Huge");
        for (int i = 0; i < 16; i++) {
            b.bytesField("block" + i, 65_535); // 8 + 16 * 65535 = 1 MiB - 8
        }
        b.bytesField("tail", 8); // exactly 1 MiB
        assertRefused("field 'x' would make Huge 1048584 bytes; a struct's fixed size is at most"
                + " 1048576 bytes (1 MiB): keep large data in arrays", () -> b.byteField("x"));
        assertThrows(IllegalArgumentException.class, () -> b.longField("y"));
        assertThrows(IllegalArgumentException.class, () -> b.bytesField("z", 65_535));
        Type huge = b.build();
        assertEquals(Type.MAX_FIXED_BYTES, huge.fixedBytes());
        assertEquals(17, huge.fields().size(), "refused fields left nothing behind");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adders")
    void aBuilderIsSpentOnceBuilt(String label, BiFunction<Type.Builder, String, Type.Builder> add) {
        Type.Builder b = Type.struct("Once").intField("a");
        Type t = b.build();
        String message = "the builder of Once was already built: declare another type with Type.struct";
        assertEquals(message, messageOf(IllegalStateException.class, () -> add.apply(b, "b")));
        assertEquals(message, messageOf(IllegalStateException.class, b::build));
        assertThrows(IllegalStateException.class, () -> b.bytesField("c", 0), "checked before the length");
        assertEquals(1, t.fields().size(), "the type is not changed through its spent builder");
    }

    // ---- errors in lookups

    @Test
    void askingForAMissingFieldNamesTheFieldsThereAre() {
        Type p = patient();
        assertRefused("Patient has no field 'height'; its fields are id, age, weight, sex, code, visits",
                () -> p.field("height"));
        assertRefused("Patient has no field 'height'; its fields are id, age, weight, sex, code, visits",
                () -> p.doubleField("height"));
        assertRefused("Patient has no field 'Age'; its fields are id, age, weight, sex, code, visits",
                () -> p.intField("Age"));
        assertRefused("field name is null (asked of Patient)", () -> p.field(null));
        Type empty = Type.struct("Marker").build();
        assertRefused("Marker has no field 'x': it has no fields", () -> empty.field("x"));
    }

    @Test
    void askingForAFieldOfTheWrongKindNamesItsKind() {
        Type p = patient();
        assertRefused("field 'age' of Patient is INT, not LONG", () -> p.longField("age"));
        assertRefused("field 'code' of Patient is BYTES[8], not BYTE", () -> p.byteField("code"));
        assertRefused("field 'sex' of Patient is BYTE, not BYTES", () -> p.bytesField("sex"));
        assertRefused("field 'visits' of Patient is REF, not INT", () -> p.intField("visits"));
    }

    /** Each typed lookup of {@link Type}, by the kind label it serves. */
    private static final Map<String, BiFunction<Type, String, Field>> TYPED_LOOKUPS = Map.of(
            "BYTE", Type::byteField,
            "BOOLEAN", Type::booleanField,
            "SHORT", Type::shortField,
            "CHAR", Type::charField,
            "INT", Type::intField,
            "FLOAT", Type::floatField,
            "LONG", Type::longField,
            "DOUBLE", Type::doubleField,
            "REF", Type::refField,
            "BYTES", Type::bytesField);

    private static String kindOf(Field f) {
        return f instanceof BytesField ? "BYTES" : f.kind().name();
    }

    @Test
    void everyTypedLookupServesItsKindAndNoOther() {
        Type.Builder b = Type.struct("AllKinds");
        for (Kind k : Kind.values()) {
            b = ADDERS.get(k).apply(b, k.name().toLowerCase(Locale.ROOT));
        }
        Type all = b.bytesField("bytes", 3).build();
        assertEquals(TYPED_LOOKUPS.size(), all.fields().size());
        for (Field f : all.fields()) {
            for (var lookup : TYPED_LOOKUPS.entrySet()) {
                String wanted = lookup.getKey();
                if (wanted.equals(kindOf(f))) {
                    assertSame(f, lookup.getValue().apply(all, f.name()));
                } else {
                    String is = f instanceof BytesField ? "BYTES[3]" : f.kind().name();
                    assertRefused("field '" + f.name() + "' of AllKinds is " + is + ", not " + wanted,
                            () -> lookup.getValue().apply(all, f.name()));
                }
            }
        }
    }

    // ---- ids and the registry

    @Test
    void idsAreUniqueAndOfIdFindsEachType() {
        Type a = Type.struct("Same").build();
        Type b = Type.struct("Same").build();
        Type c = Type.arrayOf("Same", Kind.INT);
        assertNotEquals(a, b, "equality is identity");
        assertEquals(3, Set.of(a.id(), b.id(), c.id()).size());
        for (Type t : List.of(a, b, c)) {
            assertTrue(t.id() >= 1 && t.id() <= Type.MAX_TYPES);
            assertSame(t, Type.ofId(t.id()));
        }
        assertTrue(a.id() < b.id() && b.id() < c.id(), "ids ascend in the order types are built");
    }

    @Test
    void unknownIdsAreRefused() {
        assertRefused("type id 0 is out of range 1..1048575", () -> Type.ofId(0));
        assertRefused("type id -1 is out of range 1..1048575", () -> Type.ofId(-1));
        assertRefused("type id 1048576 is out of range 1..1048575", () -> Type.ofId(Type.MAX_TYPES + 1));
        assertRefused("no type has id 1048575",
                () -> Type.ofId(Type.MAX_TYPES)); // no test run builds a million types
    }

    @Test
    void typesBuiltConcurrentlyGetDistinctIdsAndAreFoundByOtherThreads() throws Exception {
        int threads = 4;
        int perThread = 500;
        BlockingQueue<Type> built = new LinkedBlockingQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> builders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            builders.add(Thread.ofPlatform().name("builder-" + t).start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        built.add(Type.struct("T" + id + "." + i).intField("x").build());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        start.countDown();
        // a reader learns of each type through the queue (a happens-before edge), often while the
        // registry is growing: it must find every one
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < threads * perThread; i++) {
            Type t = built.poll(30, TimeUnit.SECONDS);
            assertTrue(t != null, "builders stalled");
            assertSame(t, Type.ofId(t.id()));
            assertTrue(ids.add(t.id()), "id " + t.id() + " given twice");
        }
        for (Thread b : builders) {
            b.join();
        }
    }

    @Test
    void buildingMoreThanTheLimitOfTypesIsRefused() {
        Registry<Type> small = new Registry<>(2);
        Type.struct("A").build(small);
        Type.struct("B").build(small);
        Type.Builder c = Type.struct("C").intField("x");
        assertEquals("cannot build type C: all 2 type ids are taken. Types are never unregistered: build each"
                + " type once, as a static final constant, rather than per use",
                messageOf(IllegalStateException.class, () -> c.build(small)));
        Type built = c.build(new Registry<>(2));
        assertEquals(1, built.id(), "the refused builder was left as it was");
        assertEquals(1, built.fields().size());
    }
}
