package org.mm4j.app.bench;

import java.util.Locale;

/**
 * The allocator workloads, in the order of issue 3 (and of every report): what mm4j-bench's JMH
 * benchmark and the C program call them, and what they need of an allocator.
 */
enum Workload {
    PAIR("PairBenchmark.pair", false, false, null, "alloc+free pairs of one size"),
    BATCH("BatchBenchmark.batch", false, true, null, "allocate 1000, free half FIFO, half LIFO (glibc-simple)"),
    PARETO("ParetoBenchmark.pareto", false, false, null, "1024 live blocks, Pareto sizes ≤ 1 KiB (alloc-test)"),
    LARSON("LarsonBenchmark.larson", true, false, null, "replace random live blocks, 1/4 freed by another thread"),
    XMALLOC("XmallocBenchmark.xmalloc", true, false, 64L, "pure producer and pure consumer (xmalloc-test)"),
    CACHE_SCRATCH("CacheScratchBenchmark.cacheScratch", true, false, 8L,
            "blocks handed between threads and written (false sharing)"),
    CHURN("ChurnBenchmark.churn", false, false, null, "mixed sizes and lifetimes; memory left at the end");

    /** The JMH benchmark, relative to the package {@code org.mm4j.bench}. */
    final String benchmark;
    /** Whether, with more than one thread, blocks are freed by another thread than their allocator's. */
    final boolean handsOver;
    /** Whether allocators that free only a whole batch (bump arenas) can run it. */
    final boolean wholeBatchFree;
    /** The block size when the workload has one fixed size and no {@code size} parameter; else null. */
    final Long fixedSize;
    final String description;

    Workload(String benchmark, boolean handsOver, boolean wholeBatchFree, Long fixedSize, String description) {
        this.benchmark = benchmark;
        this.handsOver = handsOver;
        this.wholeBatchFree = wholeBatchFree;
        this.fixedSize = fixedSize;
        this.description = description;
    }

    /** The name in reports and JSON: {@code pair}, …, {@code cache-scratch}, {@code churn}. */
    String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether the workload takes a thread count (1 or 2). */
    boolean threaded() {
        return handsOver;
    }

    /** The workload of a report name, or null. */
    static Workload byId(String id) {
        for (Workload w : values()) {
            if (w.id().equals(id)) {
                return w;
            }
        }
        return null;
    }

    /** The workload of a JMH benchmark name ({@code org.mm4j.bench.PairBenchmark.pair}), or null. */
    static Workload byBenchmark(String benchmark) {
        for (Workload w : values()) {
            if (benchmark.endsWith("." + w.benchmark)) {
                return w;
            }
        }
        return null;
    }
}
