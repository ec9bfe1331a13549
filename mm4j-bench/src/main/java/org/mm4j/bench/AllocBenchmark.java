package org.mm4j.bench;

import java.util.concurrent.TimeUnit;
import org.mm4j.bench.peer.Peer;
import org.mm4j.bench.peer.Peers;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the allocator workloads share: average time per operation in nanoseconds, one fork per
 * (workload, allocator, parameters) so that each JVM sees one {@link Peer} implementation, and the
 * checks that refuse a peer where a workload cannot use it.
 *
 * <p>The workloads follow mimalloc-bench's, written anew: {@link PairBenchmark pair},
 * {@link BatchBenchmark batch} (glibc-simple), {@link ParetoBenchmark pareto} (alloc-test),
 * {@link LarsonBenchmark larson}, {@link XmallocBenchmark xmalloc}, {@link CacheScratchBenchmark
 * cache-scratch} and {@link ChurnBenchmark churn}. {@code src/main/c/allocbench.c} runs the same
 * workloads in C. Every workload runs on the peers that free one block at a time
 * ({@link PeerBenchmark}); the bump arenas ({@code mm4j-arena}, {@code ffm-slicing}) run in {@code batch}
 * only.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public abstract class AllocBenchmark {

    /**
     * Opens {@code allocator} for {@code workload} with {@code slots} slots.
     *
     * @param handsOver whether blocks are freed by another thread than the one that allocated them when
     *     {@code threads > 1}
     * @throws IllegalStateException if the peer cannot run this workload (the message says why)
     */
    static Peer open(String allocator, int slots, String workload, int threads, boolean handsOver) {
        Peer peer = Peers.create(allocator, slots);
        String refusal = null;
        if (!peer.freesOneByOne() && !workload.equals("batch")) {
            refusal = allocator + " frees only a whole batch; it runs in the batch workload only";
        } else if (handsOver && threads > 1 && !peer.freesFromAnyThread()) {
            refusal = allocator + " cannot free a block from another thread than the one that allocated it";
        }
        if (refusal != null) {
            peer.close();
            throw new IllegalStateException(refusal);
        }
        return peer;
    }
}
