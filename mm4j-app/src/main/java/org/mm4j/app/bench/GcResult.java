package org.mm4j.app.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The keys of one system's figures in {@code mm4j bench gc}: what a child JVM prints as its JSON line,
 * what the table shows, and what {@code --json} writes (one object per system, in this order). Times
 * are in microseconds ({@code _us}), milliseconds ({@code _ms}) or seconds ({@code _s}); shares are
 * fractions of 1; a figure that does not apply is null.
 */
final class GcResult {
    private GcResult() {}

    static final String SYSTEM = "system";
    /** {@link #OK}, {@link #FAILED} or {@link #SKIPPED}. */
    static final String STATUS = "status";
    /** Why a system failed or was skipped; null when it ran. */
    static final String REASON = "reason";
    static final String OK = "ok";
    static final String FAILED = "failed";
    static final String SKIPPED = "skipped";

    static final String THREADS = "threads";
    /** The target operations per second of all threads together; 0 when unpaced. */
    static final String RATE = "rate_target_ops_per_s";
    static final String WARMUP_S = "warmup_s";
    static final String DURATION_S = "duration_s";
    /** The measured part as the clock saw it (the nominal duration, give or take a scheduling delay). */
    static final String MEASURED_WALL_S = "measured_wall_s";
    static final String SEED = "seed";
    /** Live data after the build: mm4j's heap statistics; the JVM's used heap after System.gc(). */
    static final String LIVE_BYTES = "live_bytes";
    /** The JVM's heap ({@code -Xms} = {@code -Xmx}), or mm4j's heap's limit. */
    static final String HEAP_BYTES = "heap_bytes";
    /** Live objects: records, pages and the directory. */
    static final String OBJECTS = "objects";
    static final String BUILD_S = "build_s";

    static final String PAUSE_COUNT = "pause_count";
    static final String PAUSE_P50_US = "pause_p50_us";
    static final String PAUSE_P99_US = "pause_p99_us";
    static final String PAUSE_P999_US = "pause_p999_us";
    static final String PAUSE_MAX_US = "pause_max_us";
    static final String PAUSE_TOTAL_MS = "pause_total_ms";
    static final String PAUSE_SOURCE = "pause_source";
    static final String MINOR_COLLECTIONS = "minor_collections";
    static final String MAJOR_COLLECTIONS = "major_collections";
    /** Every safepoint of the JVM, whatever its operation (for mm4j: its own JVM's). */
    static final String SAFEPOINT_COUNT = "safepoint_count";
    static final String SAFEPOINT_MAX_US = "safepoint_max_us";
    static final String SAFEPOINT_TOTAL_MS = "safepoint_total_ms";

    /** The stall meter's hiccups. */
    static final String STALL_COUNT = "stall_count";
    static final String STALL_P50_US = "stall_p50_us";
    static final String STALL_P99_US = "stall_p99_us";
    static final String STALL_P999_US = "stall_p999_us";
    static final String STALL_MAX_US = "stall_max_us";

    /** Operations' response times: from when each was due to its end. */
    static final String OP_COUNT = "op_count";
    static final String OP_P50_US = "op_p50_us";
    static final String OP_P99_US = "op_p99_us";
    static final String OP_P999_US = "op_p999_us";
    static final String OP_MAX_US = "op_max_us";
    /** Operations' service times: from each one's start to its end. */
    static final String OP_SERVICE_P50_US = "op_service_p50_us";
    static final String OP_SERVICE_P999_US = "op_service_p999_us";
    static final String OP_SERVICE_MAX_US = "op_service_max_us";

    /** Operations due in the measured part that ran. */
    static final String OPS = "ops";
    /** Operations due in the measured part that never ran: the system could not keep the rate. */
    static final String OPS_MISSED = "ops_missed";
    static final String OPS_PER_S = "ops_per_s";
    /** Operations per second of the whole process's CPU time. */
    static final String OPS_PER_CPU_S = "ops_per_cpu_s";
    /** The collector's CPU time over the process's, in the measured part. */
    static final String GC_CPU_SHARE = "gc_cpu_share";
    /** The JVM's collector threads' CPU time over the process's (for mm4j: its small Java heap's collector). */
    static final String JVM_GC_CPU_SHARE = "jvm_gc_cpu_share";
    static final String VM_THREAD_CPU_SHARE = "vm_thread_cpu_share";
    /**
     * CPU time the machine's hypervisor took from its virtual CPUs during the measured part (all of them
     * together; {@code /proc/stat}'s steal), in ms: a stall of every thread that no system can avoid.
     */
    static final String STEAL_MS = "machine_steal_ms";
    /**
     * Of the pauses, the time to stop the program (until every thread had stepped out of its operation;
     * for the JVMs the safepoint log's "Reaching safepoint"), p99 and maximum.
     */
    static final String STOP_P99_US = "stop_p99_us";
    static final String STOP_MAX_US = "stop_max_us";
    /** mm4j: optional pauses that gave up stopping the program in the measured part, and ran later. */
    static final String STOPS_GIVEN_UP = "stops_given_up";
    /**
     * mm4j: the longest pause of each kind — minor collection, minor collection that started a cycle,
     * old-generation pause (a cycle's remark or end, an evacuation step, a given-up attempt), full
     * collection — in µs; null where none ran.
     */
    static final String MINOR_PAUSE_MAX_US = "minor_pause_max_us";
    static final String STARTING_MINOR_PAUSE_MAX_US = "starting_minor_pause_max_us";
    static final String CYCLE_PAUSE_MAX_US = "cycle_pause_max_us";
    static final String FULL_PAUSE_MAX_US = "full_pause_max_us";
    /** mm4j: the time mutators spent assisting a cycle outside pauses in the measured part, in ms. */
    static final String ASSIST_MS = "assist_ms";
    /**
     * The process's minor page faults per second of the measured part: first touches of memory, which
     * includes memory given back to the OS and used again.
     */
    static final String MINOR_FAULTS_PER_S = "minor_faults_per_s";
    /** The process's major page faults (a file or swap read) in the measured part. */
    static final String MAJOR_FAULTS = "major_faults";
    /** The process's CPU time over the wall time: cores busy on average. */
    static final String PROCESS_CPU_CORES = "process_cpu_cores";
    /** Peak resident set of the process ({@code VmHWM}), the build included. */
    static final String RSS_BYTES = "rss_bytes";
    static final String RSS_END_BYTES = "rss_end_bytes";
    static final String RSS_AFTER_BUILD_BYTES = "rss_after_build_bytes";
    static final String CENSUS_RECORDS = "census_records";

    /** The figures of a system that did not run or whose run failed. */
    static Map<String, Object> notRun(GcSystem system, String status, String reason) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put(SYSTEM, system.id);
        result.put(STATUS, status);
        result.put(REASON, reason);
        return result;
    }

    /** A figure as a number, NaN when it is missing or null. */
    static double number(Map<String, ?> result, String key) {
        return result.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
