package org.mm4j.bench;

import org.mm4j.bench.peer.Peer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code pareto} (alloc-test): {@value #LIVE} live blocks of Pareto-distributed sizes ≤ 1 KiB; each
 * operation frees a randomly chosen one and allocates a new block of a new size in its place, and writes
 * it. One thread.
 */
@State(Scope.Thread)
public class ParetoBenchmark extends PeerBenchmark {
    static final int LIVE = 1024;
    static final int OPS = 1024;

    private int cursor;

    @Setup(Level.Trial)
    public void setUp() {
        peer = open(allocator, LIVE, "pareto", 1, false);
        for (int j = 0; j < LIVE; j++) {
            peer.allocate(j, Sequences.PARETO_SIZES[Sequences.MASK - j]);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        peer.close();
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void pareto() {
        Peer p = peer;
        int k = cursor;
        for (int i = 0; i < OPS; i++, k++) {
            int index = k & Sequences.MASK;
            int j = Sequences.PICKS_1024[index];
            p.free(j);
            p.allocate(j, Sequences.PARETO_SIZES[index]);
            p.write(j, k);
        }
        cursor = k;
    }
}
