package org.mm4j.bench;

import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;
import org.mm4j.heap.GarbageCollector;
import org.mm4j.heap.GlobalHandle;
import org.mm4j.heap.HandleScope;
import org.mm4j.heap.Heap;
import org.mm4j.heap.RefField;
import org.mm4j.heap.Scope;
import org.mm4j.heap.Type;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Releasing {@code objects} objects of 24 bytes at once, each way (single shot; the objects are made
 * before each shot, outside the measured time):
 * <ul>
 *   <li>{@link #scopeClose}: closing the scope that holds them — its region is unmapped whole, every
 *       handle goes stale through the scope's state; the time should not grow with the objects.</li>
 *   <li>{@link #scopeCloseThenMinor}: the same plus the minor collection after it, where the scope's ids
 *       go back to the handle table (the deferred part of the release, linear in the objects); the
 *       nursery is empty, so the minor is that and little else.</li>
 *   <li>{@link #collectUnreachable}: the objects in the collected heap, an array their only root; the
 *       root is dropped and a major collection frees them.</li>
 *   <li>{@link #arenaClose}: the objects allocated one by one in a confined FFM {@link Arena}, closed.</li>
 * </ul>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 20)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class ScopeReleaseBenchmark {
    static final Type NODE = Type.struct("ReleaseNode").longField("value").refField("next").build();
    static final RefField NEXT = NODE.refField("next");
    static final Type REFS = Type.arrayOf("ReleaseRefs", org.mm4j.heap.Kind.REF);

    @Param({"1000", "100000", "1000000"})
    public int objects;

    private Heap heap;
    private Scope scope;
    private GlobalHandle root;
    private Arena arena;

    @Setup(Level.Trial)
    public void openHeap() {
        heap = Heap.builder().name("release").build();
    }

    @TearDown(Level.Trial)
    public void closeHeap() {
        heap.close();
    }

    /** A scope holding the objects, linked in pairs so that references exist. */
    @Setup(Level.Invocation)
    @SuppressWarnings("MustBeClosedChecker") // closed by the benchmark or the teardown
    public void fill() {
        scope = heap.openScope();
        long previous = 0;
        for (int i = 0; i < objects; i++) {
            long node = scope.allocate(NODE);
            if ((i & 1) == 1) {
                heap.set(node, NEXT, previous);
            }
            previous = node;
        }
        try (HandleScope handles = heap.openHandleScope()) {
            long array = heap.allocateArray(REFS, objects);
            for (int i = 0; i < objects; i++) {
                heap.setRef(array, i, heap.allocate(NODE));
            }
            root = heap.newGlobal(array);
        }
        heap.gc().collect(GarbageCollector.OLD); // the heap's objects are old, the nursery empty
        arena = Arena.ofConfined();
        for (int i = 0; i < objects; i++) {
            arena.allocate(24, 8);
        }
    }

    @TearDown(Level.Invocation)
    public void clean() {
        scope.close();
        if (root != null) {
            root.close();
            root = null;
        }
        if (arena.scope().isAlive()) {
            arena.close();
        }
        heap.gc().collect(GarbageCollector.OLD);
    }

    @Benchmark
    public void scopeClose() {
        scope.close();
    }

    @Benchmark
    public void scopeCloseThenMinor() {
        scope.close();
        heap.gc().collect(GarbageCollector.YOUNG);
    }

    @Benchmark
    public void collectUnreachable() {
        root.close();
        root = null;
        heap.gc().collect(GarbageCollector.OLD);
    }

    @Benchmark
    public void arenaClose() {
        arena.close();
    }
}
