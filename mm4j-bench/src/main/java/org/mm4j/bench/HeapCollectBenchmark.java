package org.mm4j.bench;

import java.lang.management.ManagementFactory;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.mm4j.app.HeapCohort;
import org.mm4j.app.JavaCohort;
import org.mm4j.heap.GarbageCollector;
import org.mm4j.heap.Heap;
import org.mm4j.heap.HeapStats;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Collection time against the live data it must trace, on the demo's cohort (patients, visits, lab
 * results): time per operation, with the live megabytes a parameter, so that time per live MiB is the
 * score over the live size each trial prints ({@code mm4j-bench heap: ...}).
 *
 * <ul>
 *   <li>{@link #major}: {@code collect(OLD)} with a cohort of about {@code liveMb} MiB held by its root
 *       (one global handle) and no garbage: an empty minor collection, marking every object, a sweep of
 *       the handle table.
 *   <li>{@link #majorWithGarbage}: the same with as much old garbage beside the cohort (a second cohort
 *       of {@code liveMb} MiB, promoted and then dropped before each operation, outside the measured
 *       time): the sweep frees it, so the score minus {@link #major}'s is the cost of freeing.
 *   <li>{@link #minor}: {@code collect(YOUNG)} with {@code youngMb} MiB of freshly admitted patients
 *       (a new cohort, its root a global handle) in a 64 MiB nursery: all of them copied to a survivor
 *       space, and nothing else live. The admission before each operation and the major collection
 *       after it, which frees the set, are outside the measured time.
 *   <li>{@link #javaFull}, for reference: {@code System.gc()} with the same cohort ({@code liveMb} of
 *       mm4j's) as plain Java objects, the JVM's full collection (G1: parallel, on every core; mm4j's
 *       collections run on the calling thread).
 * </ul>
 *
 * "Live MiB" counts mm4j's objects' bytes and their 16-byte handle-table entries, from
 * {@code heap.stats()}; for Java, the used heap after {@code System.gc()}: everything the collection
 * traces, the cohort and the rest of the JVM's objects.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class HeapCollectBenchmark extends HeapBenchmark {
    /**
     * A newly admitted patient with its visits and lab results, objects and handle-table entries
     * ({@link CohortFootprint}'s "per patient, all").
     */
    static final int BYTES_PER_PATIENT = 865;

    /** An old cohort of about {@code liveMb} MiB. */
    @State(Scope.Thread)
    public static class OldSet {
        @Param({"16", "64", "256"})
        public int liveMb;

        Heap heap;
        HeapCohort cohort;

        @Setup(Level.Trial)
        @SuppressWarnings("MustBeClosedChecker") // lives for the trial; tearDown closes it
        public void setUp() {
            heap = Heap.builder().name("major").build();
            cohort = HeapCohort.admit(heap, patientsFor(liveMb), new Random(1));
            heap.gc().collect(GarbageCollector.OLD);
            report("major", heap.stats(), cohort.size());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            cohort.close();
            heap.close();
        }
    }

    /** An old cohort of about {@code liveMb} MiB and, before each operation, as much old garbage. */
    @State(Scope.Thread)
    public static class OldSetWithGarbage {
        @Param({"64"})
        public int liveMb;

        Heap heap;
        HeapCohort cohort;
        private final Random random = new Random(2);

        @Setup(Level.Trial)
        @SuppressWarnings("MustBeClosedChecker") // lives for the trial; tearDown closes it
        public void setUp() {
            heap = Heap.builder().name("major-garbage").build();
            cohort = HeapCohort.admit(heap, patientsFor(liveMb), new Random(1));
            heap.gc().collect(GarbageCollector.OLD);
            report("major with garbage", heap.stats(), cohort.size());
        }

        /** Admits a second cohort of the same size, promotes it with collections, and drops it. */
        @Setup(Level.Invocation)
        public void makeGarbage() {
            try (HeapCohort garbage = HeapCohort.admit(heap, patientsFor(liveMb), random)) {
                heap.gc().collect(GarbageCollector.OLD);
                heap.gc().collect(GarbageCollector.OLD); // survivors of the first are old after the second
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            cohort.close();
            heap.close();
        }
    }

    /** The cohort of {@link OldSet} as plain Java objects, with no mm4j heap left. */
    @State(Scope.Thread)
    public static class JavaOldSet {
        @Param({"16", "64", "256"})
        public int liveMb;

        JavaCohort.Patient[] patients;

        @Setup(Level.Trial)
        public void setUp() {
            long before = usedAfterGc();
            try (Heap heap = Heap.builder().name("java").build();
                    HeapCohort cohort = HeapCohort.admit(heap, patientsFor(liveMb), new Random(1))) {
                patients = cohort.toJava().patients();
            }
            long after = usedAfterGc();
            System.out.printf("mm4j-bench heap: java full, %d patients, %.2f MiB live on the Java heap"
                    + " (%.2f MiB more than before the cohort)%n", patients.length, after / 1048576.0,
                    (after - before) / 1048576.0);
        }

        private static long usedAfterGc() {
            System.gc();
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }
    }

    /** A young set of about {@code youngMb} MiB, made anew before each operation. */
    @State(Scope.Thread)
    public static class YoungSet {
        @Param({"1", "4"})
        public int youngMb;

        Heap heap;
        private HeapCohort cohort;
        private int patients;
        private final Random random = new Random(1);
        private boolean reported;

        @Setup(Level.Trial)
        public void setUp() {
            heap = Heap.builder().name("minor").nurseryBytes(64L << 20).build();
            patients = patientsFor(youngMb);
        }

        @Setup(Level.Invocation)
        @SuppressWarnings("MustBeClosedChecker") // closed after the invocation, in dropYoungSet
        public void makeYoungSet() {
            cohort = HeapCohort.admit(heap, patients, random);
            if (!reported) {
                report("minor", heap.stats(), patients);
                reported = true;
            }
        }

        /**
         * Drops the young set and collects it with a major collection. A minor one would not do: the
         * root array of a cohort of 2,048 patients or more is allocated in the old space, and dead there
         * but remembered (it refers to young objects), it keeps its cohort alive through minor collections
         * — the next operation would promote it — until a major collection finds it dead.
         */
        @TearDown(Level.Invocation)
        public void dropYoungSet() {
            cohort.close();
            heap.gc().collect(GarbageCollector.OLD);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            heap.close();
        }
    }

    static int patientsFor(int mebibytes) {
        return (int) (((long) mebibytes << 20) / BYTES_PER_PATIENT);
    }

    /** One line in the fork's output: what the collection will have to trace. */
    static void report(String benchmark, HeapStats stats, int patients) {
        long live = stats.liveBytes() + 16 * stats.liveObjects();
        System.out.printf("mm4j-bench heap: %s, %d patients, %d objects, %.2f MiB live (%.2f MiB of objects)%n",
                benchmark, patients, stats.liveObjects(), live / 1048576.0, stats.liveBytes() / 1048576.0);
    }

    @Benchmark
    public void major(OldSet set) {
        set.heap.gc().collect(GarbageCollector.OLD);
    }

    @Benchmark
    public void majorWithGarbage(OldSetWithGarbage set) {
        set.heap.gc().collect(GarbageCollector.OLD);
    }

    @Benchmark
    public void minor(YoungSet set) {
        set.heap.gc().collect(GarbageCollector.YOUNG);
    }

    @Benchmark
    public JavaCohort.Patient[] javaFull(JavaOldSet set) {
        System.gc();
        return set.patients;
    }
}
