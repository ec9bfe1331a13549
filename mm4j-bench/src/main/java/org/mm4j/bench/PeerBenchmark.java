package org.mm4j.bench;

import org.mm4j.bench.peer.Peer;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** A workload that runs on every peer that frees one block at a time (all but the bump arenas). */
@State(Scope.Thread)
public abstract class PeerBenchmark extends AllocBenchmark {
    @Param({"mm4j", "mm4j-address", "glibc", "jemalloc", "mimalloc", "tcmalloc", "ffm-confined", "ffm-shared", "netty-pooled",
        "netty-adaptive", "java-new"})
    public String allocator;

    Peer peer;
}
