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
 * {@code cache-scratch} (Hoard's passive false sharing test): at the start of each round the benchmark
 * thread allocates one {@value #SIZE}-byte block per thread (neighbours, likely in one cache line) and
 * hands one to each thread; each thread frees it, then {@value #ITERATIONS}/threads times allocates a
 * {@value #SIZE}-byte block, writes it {@value #WRITES} times and frees it. An allocator that gives a
 * thread back the block another thread's neighbour sits next to makes the threads write one cache line:
 * each write then costs a cache miss. One operation is one allocate-write-free iteration; the score is
 * wall time per operation over all threads.
 */
@State(Scope.Thread)
public class CacheScratchBenchmark extends ThreadedBenchmark {
    static final int SIZE = 8;
    static final int ITERATIONS = 256;
    static final int WRITES = 1000;


    @Setup(Level.Trial)
    public void setUp() {
        open("cache-scratch", 2 * threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        close();
    }

    @Benchmark
    @OperationsPerInvocation(ITERATIONS)
    public void cacheScratch() {
        for (int t = 0; t < threads; t++) {
            peer.allocate(threads + t, SIZE);
        }
        team.run(this::member);
    }

    private void member(int t) {
        Peer p = peer;
        p.free(threads + t);
        for (int i = ITERATIONS / threads; i > 0; i--) {
            p.allocate(t, SIZE);
            for (int w = 0; w < WRITES; w++) {
                p.writeOpaque(t, w);
            }
            p.free(t);
        }
    }
}
