package org.mm4j.bench;

import java.util.Random;
import org.mm4j.app.HeapCohort;
import org.mm4j.app.JavaCohort;
import org.mm4j.heap.GarbageCollector;
import org.mm4j.heap.HandleScope;
import org.mm4j.heap.Heap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Field access in the managed heap against a Java object's fields: read and write a patient's birth year
 * ({@code int}) and weight ({@code double}), and follow its reference to its visits. Each operation takes
 * the next of {@value #PATIENTS} patients of the demo's cohort (old objects after two full collections;
 * the Java side, the same patients as Java objects), so that no value is constant.
 *
 * <p>mm4j's access is a call that checks the handle and the field's type, then one load or store; a
 * reference read also registers the target in the current handle scope, which the benchmark closes and
 * reopens every {@value #FOLLOWS_PER_SCOPE} reads (inside the measured time). Java's is a field access.
 */
@State(Scope.Thread)
public class HeapFieldBenchmark extends HeapBenchmark {
    static final int PATIENTS = 1024;
    static final int FOLLOWS_PER_SCOPE = 1024;

    private Heap heap;
    private HeapCohort cohort;
    private HandleScope patientScope;
    private CyclingScope followScope;
    private final long[] patients = new long[PATIENTS];
    private final long[] visits = new long[PATIENTS];
    private JavaCohort.Patient[] javaPatients;
    private JavaCohort.Visit[][] javaVisits;
    private int next;

    @Setup(Level.Trial)
    @SuppressWarnings("MustBeClosedChecker") // the cohort and scope live across invocations; tearDown closes them
    public void setUp() {
        heap = Heap.builder().name("fields").build();
        cohort = HeapCohort.admit(heap, PATIENTS, new Random(1));
        heap.gc().collect(GarbageCollector.OLD);
        heap.gc().collect(GarbageCollector.OLD); // everything old, as a long-lived cohort is
        patientScope = heap.openHandleScope();
        JavaCohort java = cohort.toJava();
        javaPatients = java.patients();
        javaVisits = new JavaCohort.Visit[PATIENTS][];
        for (int i = 0; i < PATIENTS; i++) {
            patients[i] = cohort.patient(i);
            visits[i] = heap.get(patients[i], HeapCohort.PATIENT_VISITS);
            javaVisits[i] = javaPatients[i].visits;
        }
        followScope = new CyclingScope(heap, FOLLOWS_PER_SCOPE);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        followScope.close();
        patientScope.close();
        cohort.close();
        heap.close();
    }

    private long patient() {
        return patients[next++ & (PATIENTS - 1)];
    }

    private JavaCohort.Patient javaPatient() {
        return javaPatients[next++ & (PATIENTS - 1)];
    }

    @Benchmark
    public int mm4jReadInt() {
        return heap.get(patient(), HeapCohort.BIRTH_YEAR);
    }

    @Benchmark
    public int javaReadInt() {
        return javaPatient().birthYear;
    }

    @Benchmark
    public double mm4jReadDouble() {
        return heap.get(patient(), HeapCohort.WEIGHT);
    }

    @Benchmark
    public double javaReadDouble() {
        return javaPatient().weight;
    }

    @Benchmark
    public void mm4jWriteInt() {
        heap.set(patient(), HeapCohort.BIRTH_YEAR, next);
    }

    @Benchmark
    public void javaWriteInt() {
        javaPatient().birthYear = next;
    }

    @Benchmark
    public void mm4jWriteDouble() {
        heap.set(patient(), HeapCohort.WEIGHT, next);
    }

    @Benchmark
    public void javaWriteDouble() {
        javaPatient().weight = next;
    }

    /**
     * Stores a patient's visits array into the patient's reference field, through the write barrier:
     * both are old, so the generational part only checks and remembers nothing.
     */
    @Benchmark
    public void mm4jWriteRef() {
        int i = next++ & (PATIENTS - 1);
        heap.set(patients[i], HeapCohort.PATIENT_VISITS, visits[i]);
    }

    @Benchmark
    public void javaWriteRef() {
        int i = next++ & (PATIENTS - 1);
        javaPatients[i].visits = javaVisits[i];
    }

    @Benchmark
    public long mm4jFollowRef() {
        followScope.tick();
        return heap.get(patient(), HeapCohort.PATIENT_VISITS);
    }

    @Benchmark
    public JavaCohort.Visit[] javaFollowRef() {
        return javaPatient().visits;
    }
}
