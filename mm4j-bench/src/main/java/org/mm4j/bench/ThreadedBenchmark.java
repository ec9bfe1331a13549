package org.mm4j.bench;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What the threaded workloads (larson, xmalloc, cache-scratch) share: 1 or 2 threads, and a {@link Team}
 * that runs each round on all of them.
 */
@State(Scope.Thread)
public abstract class ThreadedBenchmark extends PeerBenchmark {
    @Param({"1", "2"})
    public int threads;

    Team team;

    /** Opens the peer with {@code slots} slots and starts the team; blocks travel between threads. */
    final void open(String workload, int slots) {
        peer = open(allocator, slots, workload, threads, true);
        team = new Team(threads, workload);
    }

    /** Stops the team, then frees what is left and closes the peer. */
    final void close() {
        team.close();
        peer.close();
    }
}
