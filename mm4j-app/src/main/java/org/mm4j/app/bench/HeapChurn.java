package org.mm4j.app.bench;

import com.google.errorprone.annotations.MustBeClosed;
import java.util.SplittableRandom;
import org.mm4j.heap.ByteField;
import org.mm4j.heap.DoubleField;
import org.mm4j.heap.GlobalHandle;
import org.mm4j.heap.HandleScope;
import org.mm4j.heap.Heap;
import org.mm4j.heap.IntField;
import org.mm4j.heap.Kind;
import org.mm4j.heap.LongField;
import org.mm4j.heap.RefField;
import org.mm4j.heap.ShortField;
import org.mm4j.heap.Type;

/**
 * The churn workload in an mm4j {@link Heap}: the directory and its pages are arrays of references, the
 * records are structs, the lists are reference fields; the directory is the one global root. Every
 * operation runs in a handle scope of its own, as a program would write it.
 */
final class HeapChurn implements ChurnWorkload {
    static final Type PATIENT = Type.struct("ChurnPatient")
            .longField("id").longField("admitted").longField("insurer").longField("code")
            .doubleField("weight").doubleField("height").intField("birthYear").intField("check")
            .byteField("sex").refField("visits")
            .build();
    private static final LongField P_ID = PATIENT.longField("id");
    private static final LongField P_ADMITTED = PATIENT.longField("admitted");
    private static final LongField P_INSURER = PATIENT.longField("insurer");
    private static final LongField P_CODE = PATIENT.longField("code");
    private static final DoubleField P_WEIGHT = PATIENT.doubleField("weight");
    private static final DoubleField P_HEIGHT = PATIENT.doubleField("height");
    private static final IntField P_BIRTH_YEAR = PATIENT.intField("birthYear");
    private static final IntField P_CHECK = PATIENT.intField("check");
    private static final ByteField P_SEX = PATIENT.byteField("sex");
    private static final RefField P_VISITS = PATIENT.refField("visits");

    static final Type VISIT = Type.struct("ChurnVisit")
            .longField("id").longField("at").longField("physician").longField("diagnosis")
            .doubleField("cost").intField("day").intField("check").shortField("ward")
            .refField("labs").refField("next")
            .build();
    private static final LongField V_ID = VISIT.longField("id");
    private static final LongField V_AT = VISIT.longField("at");
    private static final LongField V_PHYSICIAN = VISIT.longField("physician");
    private static final LongField V_DIAGNOSIS = VISIT.longField("diagnosis");
    private static final DoubleField V_COST = VISIT.doubleField("cost");
    private static final IntField V_DAY = VISIT.intField("day");
    private static final IntField V_CHECK = VISIT.intField("check");
    private static final ShortField V_WARD = VISIT.shortField("ward");
    private static final RefField V_LABS = VISIT.refField("labs");
    private static final RefField V_NEXT = VISIT.refField("next");

    static final Type LAB = Type.struct("ChurnLab")
            .longField("id").longField("taken").longField("reported")
            .doubleField("value").doubleField("low").doubleField("high")
            .intField("code").intField("check").shortField("unit").byteField("flag")
            .refField("next")
            .build();
    private static final LongField L_ID = LAB.longField("id");
    private static final LongField L_TAKEN = LAB.longField("taken");
    private static final LongField L_REPORTED = LAB.longField("reported");
    private static final DoubleField L_VALUE = LAB.doubleField("value");
    private static final DoubleField L_LOW = LAB.doubleField("low");
    private static final DoubleField L_HIGH = LAB.doubleField("high");
    private static final IntField L_CODE = LAB.intField("code");
    private static final IntField L_CHECK = LAB.intField("check");
    private static final ShortField L_UNIT = LAB.shortField("unit");
    private static final ByteField L_FLAG = LAB.byteField("flag");
    private static final RefField L_NEXT = LAB.refField("next");

    /** Arrays of {@link ChurnShape#PAGE_SLOTS} patients. */
    static final Type PAGE = Type.arrayOf("ChurnPage", Kind.REF);

    /** The root: an array of pages. */
    static final Type DIRECTORY = Type.arrayOf("ChurnDirectory", Kind.REF);

    /** Bytes of a handle-table entry: every object has one. */
    static final int HANDLE_ENTRY_BYTES = 16;

    private final Heap heap;
    private final ChurnShape shape;
    private GlobalHandle directory;

    /**
     * The workload in {@code heap}, which it owns from now on: {@link #close} closes it.
     */
    HeapChurn(Heap heap, ChurnShape shape) {
        this.heap = heap;
        this.shape = shape;
    }

    /**
     * What one group takes in an mm4j heap: its records' bytes and their handle-table entries, and its
     * share of a page. The live set of a run is {@code groups} times this.
     */
    static long bytesPerGroup() {
        long records = PATIENT.instanceBytes(0)
                + ChurnShape.VISITS * (VISIT.instanceBytes(0) + ChurnShape.LABS * LAB.instanceBytes(0));
        long page = PAGE.instanceBytes(ChurnShape.PAGE_SLOTS) + HANDLE_ENTRY_BYTES;
        return records + ChurnShape.OBJECTS_PER_GROUP * HANDLE_ENTRY_BYTES
                + (page + ChurnShape.PAGE_SLOTS - 1) / ChurnShape.PAGE_SLOTS;
    }

    Heap heap() {
        return heap;
    }

    @Override
    public ChurnShape shape() {
        return shape;
    }

    @Override
    @SuppressWarnings("MustBeClosedChecker") // the directory is the workload's root until close()
    public long build(SplittableRandom random) {
        if (directory != null) {
            throw new IllegalStateException("built already");
        }
        try (HandleScope _ = heap.openHandleScope()) {
            directory = heap.newGlobal(heap.allocateArray(DIRECTORY, shape.pages()));
        }
        Maker maker = new Maker(random);
        for (int p = 0; p < shape.pages(); p++) {
            try (HandleScope _ = heap.openHandleScope()) {
                long page = heap.allocateArray(PAGE, ChurnShape.PAGE_SLOTS);
                heap.setRef(directory.get(), p, page);
                for (int slot = 0; slot < ChurnShape.PAGE_SLOTS; slot++) {
                    try (HandleScope _ = heap.openHandleScope()) {
                        heap.setRef(page, slot, maker.patient());
                    }
                }
            }
        }
        return maker.keys;
    }

    @Override
    public Worker worker(int thread, SplittableRandom random) {
        return new HeapWorker(thread, random);
    }

    @Override
    public int touch() {
        try (HandleScope _ = heap.openHandleScope()) {
            return heap.length(directory.get());
        }
    }

    @Override
    public Census census() {
        Reader reader = new Reader();
        for (int p = 0; p < shape.pages(); p++) {
            try (HandleScope _ = heap.openHandleScope()) {
                long page = heap.getRef(directory.get(), p);
                for (int slot = 0; slot < ChurnShape.PAGE_SLOTS; slot++) {
                    try (HandleScope _ = heap.openHandleScope()) {
                        reader.group(heap.getRef(page, slot));
                    }
                }
            }
        }
        return new Census(reader.records, reader.keys, reader.damaged);
    }

    @Override
    public void close() {
        try {
            if (directory != null) {
                directory.close();
            }
        } finally {
            heap.close();
        }
    }

    /**
     * Makes new records in the caller's handle scope, drawing their keys in creation order (see
     * {@link ChurnShape}) and summing them in {@link #keys}.
     */
    private final class Maker {
        final SplittableRandom random;
        final ChurnRecords.Patient patient = new ChurnRecords.Patient();
        final ChurnRecords.Visit visit = new ChurnRecords.Visit();
        final ChurnRecords.Lab lab = new ChurnRecords.Lab();
        long keys;

        Maker(SplittableRandom random) {
            this.random = random;
        }

        long patient() {
            ChurnRecords.Patient d = patient.derive(random.nextLong());
            keys += d.id;
            long p = heap.allocate(PATIENT);
            heap.set(p, P_ID, d.id);
            heap.set(p, P_ADMITTED, d.admitted);
            heap.set(p, P_INSURER, d.insurer);
            heap.set(p, P_CODE, d.code);
            heap.set(p, P_WEIGHT, d.weight);
            heap.set(p, P_HEIGHT, d.height);
            heap.set(p, P_BIRTH_YEAR, d.birthYear);
            heap.set(p, P_CHECK, d.check);
            heap.set(p, P_SEX, d.sex);
            long head = 0;
            for (int v = 0; v < ChurnShape.VISITS; v++) {
                long visit = visit();
                heap.set(visit, V_NEXT, head);
                head = visit;
            }
            heap.set(p, P_VISITS, head);
            return p;
        }

        long visit() {
            ChurnRecords.Visit d = visit.derive(random.nextLong());
            keys += d.id;
            long v = heap.allocate(VISIT);
            heap.set(v, V_ID, d.id);
            heap.set(v, V_AT, d.at);
            heap.set(v, V_PHYSICIAN, d.physician);
            heap.set(v, V_DIAGNOSIS, d.diagnosis);
            heap.set(v, V_COST, d.cost);
            heap.set(v, V_DAY, d.day);
            heap.set(v, V_CHECK, d.check);
            heap.set(v, V_WARD, d.ward);
            long head = 0;
            for (int l = 0; l < ChurnShape.LABS; l++) {
                long lab = lab();
                heap.set(lab, L_NEXT, head);
                head = lab;
            }
            heap.set(v, V_LABS, head);
            return v;
        }

        long lab() {
            ChurnRecords.Lab d = lab.derive(random.nextLong());
            keys += d.id;
            long l = heap.allocate(LAB);
            heap.set(l, L_ID, d.id);
            heap.set(l, L_TAKEN, d.taken);
            heap.set(l, L_REPORTED, d.reported);
            heap.set(l, L_VALUE, d.value);
            heap.set(l, L_LOW, d.low);
            heap.set(l, L_HIGH, d.high);
            heap.set(l, L_CODE, d.code);
            heap.set(l, L_CHECK, d.check);
            heap.set(l, L_UNIT, d.unit);
            heap.set(l, L_FLAG, d.flag);
            return l;
        }
    }

    /** Sums the keys of what an operation drops. */
    private long groupKeys(long patient) {
        long keys = heap.get(patient, P_ID);
        for (long v = heap.get(patient, P_VISITS); v != 0; v = heap.get(v, V_NEXT)) {
            keys += visitKeys(v);
        }
        return keys;
    }

    private long visitKeys(long visit) {
        long keys = heap.get(visit, V_ID);
        for (long l = heap.get(visit, V_LABS); l != 0; l = heap.get(l, L_NEXT)) {
            keys += heap.get(l, L_ID);
        }
        return keys;
    }

    /**
     * Unlinks the element at {@code index} of the list that {@code owner}'s {@code head} field starts,
     * and returns it (a handle in the caller's scope).
     */
    private long unlinkAt(long owner, RefField head, RefField next, int index) {
        long previous = 0;
        long element = heap.get(owner, head);
        for (int i = 0; i < index; i++) {
            previous = element;
            element = heap.get(element, next);
        }
        if (previous == 0) {
            heap.set(owner, head, heap.get(element, next));
        } else {
            heap.set(previous, next, heap.get(element, next));
        }
        return element;
    }

    /** Links {@code element} at the head of the list that {@code owner}'s {@code head} field starts. */
    private void push(long owner, RefField head, RefField next, long element) {
        heap.set(element, next, heap.get(owner, head));
        heap.set(owner, head, element);
    }

    private final class HeapWorker implements Worker {
        private final int thread;
        private final ChurnShape.Op op = new ChurnShape.Op();
        private final Maker maker;
        private long removed;

        HeapWorker(int thread, SplittableRandom random) {
            this.thread = shape.checkThread(thread);
            this.maker = new Maker(random);
        }

        @Override
        public void operate() {
            op.draw(maker.random, shape, thread);
            try (HandleScope _ = heap.openHandleScope()) {
                long page = heap.getRef(directory.get(), op.page);
                switch (op.kind) {
                    case ChurnShape.Op.REPLACE_PATIENT -> {
                        removed += groupKeys(heap.getRef(page, op.slot));
                        heap.setRef(page, op.slot, maker.patient());
                    }
                    case ChurnShape.Op.REPLACE_VISIT -> {
                        long patient = heap.getRef(page, op.slot);
                        removed += visitKeys(unlinkAt(patient, P_VISITS, V_NEXT, op.visit));
                        push(patient, P_VISITS, V_NEXT, maker.visit());
                    }
                    default -> {
                        long visit = heap.get(heap.getRef(page, op.slot), P_VISITS);
                        for (int i = 0; i < op.visit; i++) {
                            visit = heap.get(visit, V_NEXT);
                        }
                        removed += heap.get(unlinkAt(visit, V_LABS, L_NEXT, op.lab), L_ID);
                        push(visit, V_LABS, L_NEXT, maker.lab());
                    }
                }
            }
        }

        @Override
        public long keyDelta() {
            return maker.keys - removed;
        }
    }

    /** Reads every record of the groups it is shown, in the caller's handle scope. */
    private final class Reader {
        final ChurnRecords.Patient patient = new ChurnRecords.Patient();
        final ChurnRecords.Visit visit = new ChurnRecords.Visit();
        final ChurnRecords.Lab lab = new ChurnRecords.Lab();
        long records;
        long keys;
        long damaged;

        void group(long p) {
            if (p == 0) {
                damaged++;
                return;
            }
            patient.id = heap.get(p, P_ID);
            patient.admitted = heap.get(p, P_ADMITTED);
            patient.insurer = heap.get(p, P_INSURER);
            patient.code = heap.get(p, P_CODE);
            patient.weight = heap.get(p, P_WEIGHT);
            patient.height = heap.get(p, P_HEIGHT);
            patient.birthYear = heap.get(p, P_BIRTH_YEAR);
            patient.check = heap.get(p, P_CHECK);
            patient.sex = heap.get(p, P_SEX);
            count(patient.id, patient.isIntact());
            int visits = 0;
            for (long v = heap.get(p, P_VISITS); v != 0; v = heap.get(v, V_NEXT)) {
                visits++;
                visit(v);
            }
            damaged += visits == ChurnShape.VISITS ? 0 : 1;
        }

        private void visit(long v) {
            visit.id = heap.get(v, V_ID);
            visit.at = heap.get(v, V_AT);
            visit.physician = heap.get(v, V_PHYSICIAN);
            visit.diagnosis = heap.get(v, V_DIAGNOSIS);
            visit.cost = heap.get(v, V_COST);
            visit.day = heap.get(v, V_DAY);
            visit.check = heap.get(v, V_CHECK);
            visit.ward = heap.get(v, V_WARD);
            count(visit.id, visit.isIntact());
            int labs = 0;
            for (long l = heap.get(v, V_LABS); l != 0; l = heap.get(l, L_NEXT)) {
                labs++;
                lab.id = heap.get(l, L_ID);
                lab.taken = heap.get(l, L_TAKEN);
                lab.reported = heap.get(l, L_REPORTED);
                lab.value = heap.get(l, L_VALUE);
                lab.low = heap.get(l, L_LOW);
                lab.high = heap.get(l, L_HIGH);
                lab.code = heap.get(l, L_CODE);
                lab.check = heap.get(l, L_CHECK);
                lab.unit = heap.get(l, L_UNIT);
                lab.flag = heap.get(l, L_FLAG);
                count(lab.id, lab.isIntact());
            }
            damaged += labs == ChurnShape.LABS ? 0 : 1;
        }

        private void count(long key, boolean intact) {
            records++;
            keys += key;
            damaged += intact ? 0 : 1;
        }
    }

    /** Opens a heap for the workload: mm4j's defaults, with a hard limit of {@code limitBytes}. */
    @MustBeClosed
    static HeapChurn open(ChurnShape shape, long limitBytes, HeapSettings settings) {
        return new HeapChurn(settings.applyTo(Heap.builder().name("gc-bench").limitBytes(limitBytes)).build(), shape);
    }
}
