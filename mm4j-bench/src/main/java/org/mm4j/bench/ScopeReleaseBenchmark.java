package org.mm4j.bench;

import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;
import org.mm4j.heap.GarbageCollector;
import org.mm4j.heap.GlobalHandle;
import org.mm4j.heap.HandleScope;
import org.mm4j.heap.Heap;
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
 * Releasing 32 MiB of objects at once, as {@code objects} objects (1000 arrays of 32 KiB … a million of
 * 32 bytes), each way (single shot; the objects are made, and every page of them written, before each
 * shot, outside the measured time). The bytes are the same in every case, so what changes is only the
 * number of objects:
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
    static final Type LONGS = Type.arrayOf("ReleaseLongs", org.mm4j.heap.Kind.LONG);
    static final Type REFS = Type.arrayOf("ReleaseRefs", org.mm4j.heap.Kind.REF);
    static final long TOTAL_BYTES = 32L << 20;

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

    /** Elements of each object: {@code TOTAL_BYTES / objects} bytes with the array's 16-byte header. */
    private int elements() {
        return (int) ((TOTAL_BYTES / objects - 16) / Long.BYTES);
    }

    /** The objects in a scope, in the collected heap (an array their root) and in an arena. */
    @Setup(Level.Invocation)
    @SuppressWarnings("MustBeClosedChecker") // closed by the benchmark or the teardown
    public void fill() {
        int elements = elements();
        scope = heap.openScope();
        for (int i = 0; i < objects; i++) {
            touch(scope.allocateArray(LONGS, elements), elements);
        }
        try (HandleScope handles = heap.openHandleScope()) {
            long array = heap.allocateArray(REFS, objects);
            for (int i = 0; i < objects; i++) {
                try (HandleScope each = heap.openHandleScope()) {
                    long longs = heap.allocateArray(LONGS, elements);
                    touch(longs, elements);
                    heap.setRef(array, i, longs);
                }
            }
            root = heap.newGlobal(array);
        }
        heap.gc().collect(GarbageCollector.OLD); // the heap's objects are old, the nursery empty
        arena = Arena.ofConfined();
        for (int i = 0; i < objects; i++) {
            arena.allocate(16 + (long) elements * Long.BYTES, 8).fill((byte) 1);
        }
    }

    /** Writes one element in every 4 KiB, so that every page of the object is committed. */
    private void touch(long array, int elements) {
        for (int i = 0; i < elements; i += 512) {
            heap.setLong(array, i, i);
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
