package org.mm4j.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** {@code pair}: one allocation of {@code size} bytes, one 8-byte write into it, its free; one thread. */
@State(Scope.Thread)
public class PairBenchmark extends PeerBenchmark {
    @Param({"16", "64", "256", "1024", "4096", "16384", "65536", "262144", "1048576"})
    public int size;


    @Setup(Level.Trial)
    public void setUp() {
        peer = open(allocator, 1, "pair", 1, false);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        peer.close();
    }

    @Benchmark
    public void pair() {
        peer.allocate(0, size);
        peer.write(0, size);
        peer.free(0);
    }
}
