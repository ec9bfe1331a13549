package org.mm4j.bench;

import org.mm4j.heap.GarbageCollector;
import org.mm4j.heap.HandleScope;
import org.mm4j.heap.Heap;
import org.mm4j.heap.IntField;
import org.mm4j.heap.RefField;
import org.mm4j.heap.Scope;
import org.mm4j.heap.Type;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What an access to a scoped object costs beside the same access to an old object of the collected heap:
 * a scoped object's handle check takes the table's slow path, which asks the scope whether it is open and
 * open to the calling thread. Reads and writes of an int over {@value #OBJECTS} objects in turn, and a
 * reference store (the write barrier, with its escape check) from one object to the next.
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class ScopeFieldBenchmark extends HeapBenchmark {
    static final int OBJECTS = 1024;
    static final Type ITEM = Type.struct("ScopeFieldItem").intField("value").refField("next").build();
    static final IntField VALUE = ITEM.intField("value");
    static final RefField NEXT = ITEM.refField("next");

    private Heap heap;
    private HandleScope handles;
    private Scope scope;
    private final long[] scoped = new long[OBJECTS];
    private final long[] old = new long[OBJECTS];
    private int next;

    @Setup(Level.Trial)
    @SuppressWarnings("MustBeClosedChecker") // live across invocations; tearDown closes them
    public void setUp() {
        heap = Heap.builder().name("scope-fields").build();
        handles = heap.openHandleScope();
        scope = heap.openScope();
        for (int i = 0; i < OBJECTS; i++) {
            scoped[i] = scope.allocate(ITEM);
            old[i] = heap.allocate(ITEM);
        }
        heap.gc().collect(GarbageCollector.OLD);
        heap.gc().collect(GarbageCollector.OLD);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        scope.close();
        handles.close();
        heap.close();
    }

    @Benchmark
    public int scopedReadInt() {
        return heap.get(scoped[next++ & (OBJECTS - 1)], VALUE);
    }

    @Benchmark
    public int oldReadInt() {
        return heap.get(old[next++ & (OBJECTS - 1)], VALUE);
    }

    @Benchmark
    public void scopedWriteInt() {
        heap.set(scoped[next++ & (OBJECTS - 1)], VALUE, next);
    }

    @Benchmark
    public void oldWriteInt() {
        heap.set(old[next++ & (OBJECTS - 1)], VALUE, next);
    }

    @Benchmark
    public void scopedStoreReference() {
        int i = next++ & (OBJECTS - 1);
        heap.set(scoped[i], NEXT, scoped[(i + 1) & (OBJECTS - 1)]);
    }

    @Benchmark
    public void oldStoreReference() {
        int i = next++ & (OBJECTS - 1);
        heap.set(old[i], NEXT, old[(i + 1) & (OBJECTS - 1)]);
    }
}
