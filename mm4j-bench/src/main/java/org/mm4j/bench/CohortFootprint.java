package org.mm4j.bench;

import java.io.PrintWriter;
import java.util.Random;
import org.mm4j.app.Footprint;
import org.mm4j.app.HeapCohort;
import org.mm4j.app.HeapReport;
import org.mm4j.app.JvmFacts;
import org.mm4j.heap.GarbageCollector;
import org.mm4j.heap.Heap;

/**
 * The demo cohort's footprint in mm4j's heap and as Java objects, in this JVM: bytes per patient, visit
 * and lab result, and per patient with everything. Not a JMH benchmark — JMH measures time — but a main
 * class to run once per JVM configuration:
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -XX:+UseG1GC -XX:MarkSweepDeadRatio=0 \
 *   -XX:-UseCompactObjectHeaders -cp mm4j-bench/target/benchmarks.jar org.mm4j.bench.CohortFootprint \
 *   [patients [seed]]
 * java ... -XX:+UseCompactObjectHeaders ...
 * </pre>
 *
 * mm4j's side does not depend on the JVM's flags (its objects are off the Java heap); Java's is
 * measured from the used Java heap after {@code System.gc()}, kind of object by kind of object, which
 * {@code -XX:MarkSweepDeadRatio=0} makes exact (a full collection then leaves no dead object in place).
 */
public final class CohortFootprint {
    private CohortFootprint() {}

    public static void main(String[] args) {
        int patients = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 20251122L;
        PrintWriter out = new PrintWriter(System.out, true);
        out.printf("Cohort footprint: %,d patients, seed %d; Java %s%n", patients, seed, Runtime.version());
        try (Heap heap = Heap.builder().name("footprint").build();
                HeapCohort cohort = HeapCohort.admit(heap, patients, new Random(seed))) {
            heap.gc().collect(GarbageCollector.OLD);
            Footprint mm4j = HeapCohort.footprint(heap.stats());
            Footprint java = cohort.toJava().measureByDismantling();
            HeapReport.printFootprint(out, JvmFacts.current(), mm4j, java, patients);
        }
        out.flush();
    }
}
