package org.mm4j.app.bench;

import java.util.Comparator;
import java.util.Objects;

/**
 * One measurement: a workload with its parameters on one allocator.
 *
 * @param workload the workload's report name ({@code pair}, …)
 * @param allocator the allocator's report name
 * @param threads threads that ran the workload
 * @param sizeBytes the block size, or null where sizes vary
 * @param nsPerOp nanoseconds per operation (for threaded workloads: wall time over all threads' operations)
 * @param scoreError JMH's 99.9 % error margin in ns/op, or NaN when unknown (one iteration, or C)
 * @param memory what churn left at the end, or null
 */
record ResultRow(String workload, String allocator, int threads, Long sizeBytes, double nsPerOp, double scoreError,
        Memory memory) {

    /** Report order: workload, threads, size, allocator. */
    static final Comparator<ResultRow> ORDER = Comparator
            .comparingInt((ResultRow r) -> workloadOrder(r.workload))
            .thenComparingInt(ResultRow::threads)
            .thenComparingLong(r -> r.sizeBytes == null ? -1 : r.sizeBytes)
            .thenComparingInt(r -> Allocator.order(r.allocator));

    private static int workloadOrder(String workload) {
        Workload w = Workload.byId(workload);
        return w == null ? Integer.MAX_VALUE : w.ordinal();
    }

    /** Operations per second over all threads. */
    double opsPerSecond() {
        return 1e9 / nsPerOp;
    }

    /** Whether {@code other} is the same workload configuration (workload, threads, size). */
    boolean sameCase(ResultRow other) {
        return workload.equals(other.workload) && threads == other.threads
                && Objects.equals(sizeBytes, other.sizeBytes);
    }

    ResultRow withMemory(Memory memory) {
        return new ResultRow(workload, allocator, threads, sizeBytes, nsPerOp, scoreError, memory);
    }

    /**
     * Memory at the end of a churn run.
     *
     * @param liveBytes bytes requested by the blocks still live
     * @param committedBytes the allocator's committed bytes by its own account, or null when it has none
     * @param committedSource where {@code committedBytes} comes from
     * @param rssBytes the process's resident set at the end
     * @param rssBaselineBytes the resident set before the workload's first allocation
     */
    record Memory(long liveBytes, Long committedBytes, String committedSource, long rssBytes, long rssBaselineBytes) {}
}
