package org.mm4j.bench;

import org.mm4j.bench.peer.Peer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code batch} (glibc's bench-malloc-simple): allocate {@value #BLOCKS} blocks of {@code size} bytes and
 * write each, then free the first half in allocation order (FIFO) and the second half in reverse (LIFO).
 * One operation is one block's allocation and free. The bump arenas run here only: their frees are no-ops
 * and the batch is released by one reset at its end.
 */
@State(Scope.Thread)
public class BatchBenchmark extends AllocBenchmark {
    static final int BLOCKS = 1000;

    @Param({"mm4j", "mm4j-address", "mm4j-arena", "glibc", "jemalloc", "mimalloc", "tcmalloc", "ffm-confined", "ffm-shared",
        "ffm-slicing", "netty-pooled", "netty-adaptive", "java-new"})
    public String allocator;

    @Param({"16", "256", "4096"})
    public int size;

    private Peer peer;

    @Setup(Level.Trial)
    public void setUp() {
        peer = open(allocator, BLOCKS, "batch", 1, false);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        peer.close();
    }

    @Benchmark
    @OperationsPerInvocation(BLOCKS)
    public void batch() {
        Peer p = peer;
        p.beginBatch();
        for (int i = 0; i < BLOCKS; i++) {
            p.allocate(i, size);
            p.write(i, i);
        }
        for (int i = 0; i < BLOCKS / 2; i++) {
            p.free(i);
        }
        for (int i = BLOCKS - 1; i >= BLOCKS / 2; i--) {
            p.free(i);
        }
        p.endBatch();
    }
}
