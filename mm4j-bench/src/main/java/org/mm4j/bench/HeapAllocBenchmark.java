package org.mm4j.bench;

import org.mm4j.app.HeapCohort;
import org.mm4j.app.JavaCohort;
import org.mm4j.heap.Heap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Allocation throughput of the managed heap against {@code new}: one operation makes a visit (the demo
 * cohort's {@code Visit}: day, ward and a null reference to its lab results) and sets its day and ward.
 *
 * <p>Both sides keep the last {@value #LIVE} visits alive and let the rest die young, and both pay for
 * their collector: mm4j's visits are held by a handle scope closed and reopened every {@value #LIVE}
 * allocations (a request handler's pattern), so its minor collections run inside the measured time;
 * Java's are kept in a ring of {@value #LIVE}, so escape analysis cannot remove them, and G1's young
 * collections run inside the measured time too. One fork per benchmark, default heap settings (8 MiB
 * nursery for mm4j).
 */
@State(Scope.Thread)
public class HeapAllocBenchmark extends HeapBenchmark {
    static final int LIVE = 1024;

    private Heap heap;
    private CyclingScope scope;
    private final JavaCohort.Visit[] ring = new JavaCohort.Visit[LIVE];
    private int day;

    @Setup(Level.Trial)
    public void setUp() {
        heap = Heap.builder().name("alloc").build();
        scope = new CyclingScope(heap, LIVE);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        scope.close();
        heap.close();
    }

    @Benchmark
    public long mm4j() {
        scope.tick();
        long visit = heap.allocate(HeapCohort.VISIT);
        heap.set(visit, HeapCohort.DAY, day++);
        heap.set(visit, HeapCohort.WARD, (short) 7);
        return visit;
    }

    @Benchmark
    public JavaCohort.Visit javaNew() {
        JavaCohort.Visit visit = new JavaCohort.Visit(day, (short) 7, null);
        ring[day++ & (LIVE - 1)] = visit;
        return visit;
    }
}
