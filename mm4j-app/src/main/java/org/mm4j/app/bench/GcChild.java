package org.mm4j.app.bench;

import com.google.errorprone.annotations.MustBeClosed;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.mm4j.heap.HeapStats;

/**
 * One system's run of {@code mm4j bench gc}, in a JVM of its own that the command starts: builds the
 * workload, churns it (warm-up, then the measured part) on its mutator threads beside the stall meter,
 * takes a census that must find every record intact, and prints its figures as one JSON line on
 * standard output, after {@link #RESULT_PREFIX}. Progress goes to standard error. Exit status 0 when
 * the census agreed, 3 when it did not, 1 when the run failed.
 *
 * <p>The measured part is a window of wall-clock time: operations due in it, collections that end in
 * it, safepoints logged in it, the meter's ticks in it, and the CPU time spent in it.
 */
final class GcChild {
    static final String RESULT_PREFIX = "mm4j-bench-gc-result ";

    /** The threads start this long after they are made, all on the same schedule. */
    private static final long START_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private GcChild() {}

    public static void main(String[] args) {
        int status;
        try {
            GcChildSpec spec = GcChildSpec.parse(args);
            Map<String, Object> result = run(spec, System.err);
            System.out.println(RESULT_PREFIX + Json.write(result));
            status = GcResult.OK.equals(result.get(GcResult.STATUS)) ? 0 : 3;
        } catch (Throwable t) {
            t.printStackTrace();
            // The last line is what the command reports.
            System.err.println("failed: " + summary(t));
            status = 1;
        }
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    /** An exception and its root cause on one line. */
    static String summary(Throwable t) {
        if (t.getCause() == null) {
            return t.toString();
        }
        Throwable root = t.getCause();
        while (root.getCause() != null) { // getCause() is null, not the throwable itself, at the end
            root = root.getCause();
        }
        return t.getMessage() + ": " + root;
    }

    @MustBeClosed
    static ChurnWorkload open(GcChildSpec spec) {
        return spec.system().isMm4j() ? HeapChurn.open(spec.shape(), spec.heapBytes(), spec.heapSettings()) : new JavaChurn(spec.shape());
    }

    /** Runs the spec and returns its figures (the keys of {@link GcResult}). */
    static Map<String, Object> run(GcChildSpec spec, PrintStream log) throws IOException, InterruptedException {
        ChurnShape shape = spec.shape();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put(GcResult.SYSTEM, spec.system().id);
        result.put(GcResult.STATUS, GcResult.OK);
        result.put(GcResult.REASON, null);
        try (ChurnWorkload workload = open(spec)) {
            CollectionRecorder collections = new CollectionRecorder();
            if (workload instanceof HeapChurn heap) {
                heap.heap().gc().addCallback(collections);
                collections.countAssists(heap.heap().gc());
            }
            long usedBefore = spec.system().isMm4j() ? 0 : usedJavaHeapAfterGc();
            log.printf(Locale.ROOT, "building %,d groups (%,d records), seed %d%n", shape.groups(), shape.records(),
                    spec.seed());
            long buildStart = System.nanoTime();
            long buildKeys = workload.build(new SplittableRandom(spec.seed()));
            long buildNanos = System.nanoTime() - buildStart;
            long liveBytes = workload instanceof HeapChurn heap ? liveBytes(heap) : usedJavaHeapAfterGc() - usedBefore;
            ProcFiles.Resident afterBuild = ProcFiles.resident();
            log.printf(Locale.ROOT, "built in %.1f s: %s live; churning %.0f s to warm up, then %.0f s measured%n",
                    buildNanos / 1e9, ResultTable.bytes(liveBytes), spec.warmupMillis() / 1e3,
                    spec.durationMillis() / 1e3);

            // Every thread on one schedule: the warm-up from start, the measured part from measureFrom to end.
            long start = System.nanoTime() + START_DELAY_NANOS;
            long measureFrom = start + TimeUnit.MILLISECONDS.toNanos(spec.warmupMillis());
            long end = measureFrom + TimeUnit.MILLISECONDS.toNanos(spec.durationMillis());
            ChurnThreads churn = new ChurnThreads(workload, spec.seed(), spec.rate(), start, measureFrom, end);
            Window window = churn(churn, collections, spec.safepointLog(), measureFrom, end, log);

            log.println("census");
            ChurnWorkload.Census census = workload.census();
            long expectedKeys = buildKeys;
            for (ChurnWorkload.Worker w : churn.workers) {
                expectedKeys += w.keyDelta();
            }
            String damage = census.disagreement(shape, expectedKeys);
            if (damage != null) {
                result.put(GcResult.STATUS, GcResult.FAILED);
                result.put(GcResult.REASON, damage);
            }
            result.put(GcResult.THREADS, shape.threads());
            result.put(GcResult.RATE, spec.rate());
            result.put(GcResult.WARMUP_S, spec.warmupMillis() / 1e3);
            result.put(GcResult.DURATION_S, spec.durationMillis() / 1e3);
            result.put(GcResult.MEASURED_WALL_S, window.wallNanos() / 1e9);
            result.put(GcResult.SEED, spec.seed());
            result.put(GcResult.LIVE_BYTES, liveBytes);
            result.put(GcResult.HEAP_BYTES, spec.heapBytes());
            result.put(GcResult.OBJECTS, census.records() + shape.pages() + 1);
            result.put(GcResult.BUILD_S, buildNanos / 1e9);
            long operations = putFigures(result, spec, churn, collections, window);
            result.put(GcResult.RSS_AFTER_BUILD_BYTES, afterBuild.residentBytes());
            result.put(GcResult.CENSUS_RECORDS, census.records());
            log.printf(Locale.ROOT, "done: %,d operations, %s%n", operations,
                    damage == null ? "census agrees" : damage);
        }
        return result;
    }

    /**
     * The measured part as the clocks, {@code /proc} and the safepoint log saw it: its start
     * ({@link System#nanoTime}) and wall time, its start and end in milliseconds since the epoch, the CPU times
     * and the log's offsets at both ends.
     */
    private record Window(long fromNanos, long wallNanos, long fromMillis, long toMillis,
            ProcFiles.CpuSnapshot cpuBefore, ProcFiles.CpuSnapshot cpuAfter, long logFrom, long logTo) {}

    /**
     * Runs the churn's threads through the warm-up and the measured part, recording from
     * {@code measureFrom} to {@code end}, and waits for them; every thread has stopped when this returns
     * or throws.
     */
    private static Window churn(ChurnThreads churn, CollectionRecorder collections, Path safepointLog,
            long measureFrom, long end, PrintStream log) throws InterruptedException {
        try (churn) {
            churn.start();
            churn.awaitUntil(measureFrom);
            ProcFiles.CpuSnapshot cpuBefore = ProcFiles.cpu();
            long logFrom = SafepointLog.offset(safepointLog);
            churn.meter.record(true);
            collections.record(true);
            long wallFrom = System.nanoTime();
            long fromMillis = System.currentTimeMillis();
            log.println("measuring");
            churn.awaitUntil(end);
            churn.meter.record(false);
            collections.record(false);
            long wallNanos = System.nanoTime() - wallFrom;
            long toMillis = System.currentTimeMillis();
            long logTo = SafepointLog.offset(safepointLog);
            ProcFiles.CpuSnapshot cpuAfter = ProcFiles.cpu();
            churn.finish();
            return new Window(wallFrom, wallNanos, fromMillis, toMillis, cpuBefore, cpuAfter, logFrom, logTo);
        }
    }

    /**
     * Puts the measured part's figures — pauses, safepoints, stalls, operations, CPU shares, resident set
     * — and writes its histograms. Returns the operations measured.
     */
    private static long putFigures(Map<String, Object> result, GcChildSpec spec, ChurnThreads churn,
            CollectionRecorder collections, Window window) throws IOException {
        Histogram response = Latencies.histogram();
        Histogram service = Latencies.histogram();
        long operations = 0;
        long missed = 0;
        for (PacedLoop loop : churn.loops) {
            response.add(loop.response);
            service.add(loop.service);
            operations += loop.measuredOperations;
            missed += loop.missedOperations;
        }
        Histogram allSafepoints = Latencies.histogram();
        Histogram gcSafepoints = Latencies.histogram();
        Histogram gcReaching = Latencies.histogram();
        for (SafepointLog.Safepoint s : SafepointLog.read(spec.safepointLog(), window.logFrom(), window.logTo())) {
            Latencies.record(allSafepoints, s.totalNanos());
            if (s.isCollection()) {
                Latencies.record(gcSafepoints, s.totalNanos());
                Latencies.record(gcReaching, s.reachingNanos());
            }
        }
        boolean mm4j = spec.system().isMm4j();
        Histogram pauses = mm4j ? collections.pauseHistogram() : gcSafepoints;
        Latencies.Summary stops = Latencies.Summary.of(mm4j ? collections.stopHistogram() : gcReaching);
        ProcFiles.CpuSnapshot before = window.cpuBefore();
        ProcFiles.CpuSnapshot after = window.cpuAfter();
        long processNanos = ticksToNanos(after.processTicks() - before.processTicks());
        long jvmGcNanos = ticksToNanos(after.ticksSince(before, CollectorThreads::isJvmCollector));
        long mm4jGcNanos = collections.cpuNanos()
                + ticksToNanos(after.ticksSince(before, CollectorThreads::isMm4jCollector));
        long vmThreadNanos = ticksToNanos(after.ticksSince(before, CollectorThreads::isVmThread));
        ProcFiles.Resident atEnd = ProcFiles.resident();

        putLatencies(result, "pause", Latencies.Summary.of(pauses));
        result.put(GcResult.PAUSE_SOURCE, mm4j ? "mm4j collection events" : "safepoint log, collector operations");
        result.put(GcResult.STOP_P99_US, stops.p99() / 1e3);
        result.put(GcResult.STOP_MAX_US, stops.max() / 1e3);
        result.put(GcResult.STOPS_GIVEN_UP, mm4j ? collections.stopsGivenUp() : null);
        result.put(GcResult.MINOR_PAUSE_MAX_US, pauseMaxMicros(mm4j, collections, CollectionRecorder.MINOR));
        result.put(GcResult.STARTING_MINOR_PAUSE_MAX_US,
                pauseMaxMicros(mm4j, collections, CollectionRecorder.STARTING_MINOR));
        result.put(GcResult.CYCLE_PAUSE_MAX_US, pauseMaxMicros(mm4j, collections, CollectionRecorder.OLD_PAUSE));
        result.put(GcResult.FULL_PAUSE_MAX_US, pauseMaxMicros(mm4j, collections, CollectionRecorder.FULL));
        result.put(GcResult.ASSIST_MS, mm4j ? collections.assistNanos() / 1e6 : null);
        result.put(GcResult.MINOR_COLLECTIONS, mm4j ? collections.minorCollections() : null);
        result.put(GcResult.MAJOR_COLLECTIONS, mm4j ? collections.majorCollections() : null);
        Latencies.Summary all = Latencies.Summary.of(allSafepoints);
        result.put(GcResult.SAFEPOINT_COUNT, all.count());
        result.put(GcResult.SAFEPOINT_MAX_US, all.max() / 1e3);
        result.put(GcResult.SAFEPOINT_TOTAL_MS, all.totalNanos() / 1e6);
        putLatencies(result, "stall", Latencies.Summary.of(churn.meter.hiccups));
        putLatencies(result, "op", Latencies.Summary.of(response));
        Latencies.Summary serviceSummary = Latencies.Summary.of(service);
        result.put(GcResult.OP_SERVICE_P50_US, serviceSummary.p50() / 1e3);
        result.put(GcResult.OP_SERVICE_P999_US, serviceSummary.p999() / 1e3);
        result.put(GcResult.OP_SERVICE_MAX_US, serviceSummary.max() / 1e3);
        result.put(GcResult.OPS, operations);
        result.put(GcResult.OPS_MISSED, missed);
        result.put(GcResult.OPS_PER_S, operations / (spec.durationMillis() / 1e3));
        result.put(GcResult.OPS_PER_CPU_S, processNanos == 0 ? null : operations / (processNanos / 1e9));
        result.put(GcResult.GC_CPU_SHARE, share(mm4j ? mm4jGcNanos : jvmGcNanos, processNanos));
        result.put(GcResult.JVM_GC_CPU_SHARE, share(jvmGcNanos, processNanos));
        result.put(GcResult.VM_THREAD_CPU_SHARE, share(vmThreadNanos, processNanos));
        result.put(GcResult.PROCESS_CPU_CORES, processNanos / (double) window.wallNanos());
        result.put(GcResult.STEAL_MS, before.stealTicks() < 0 || after.stealTicks() < 0 ? null
                : ticksToNanos(after.stealTicks() - before.stealTicks()) / 1e6);
        ProcFiles.Faults faults = after.faults().since(before.faults());
        result.put(GcResult.MINOR_FAULTS_PER_S, faults.minor() < 0 ? null
                : faults.minor() / (window.wallNanos() / 1e9));
        result.put(GcResult.MAJOR_FAULTS, faults.major() < 0 ? null : faults.major());
        result.put(GcResult.RSS_BYTES, atEnd.peakBytes());
        result.put(GcResult.RSS_END_BYTES, atEnd.residentBytes());

        Map<String, Histogram> histograms = new LinkedHashMap<>();
        histograms.put("pause", pauses);
        histograms.put("stall", churn.meter.hiccups);
        histograms.put("response", response);
        histograms.put("service", service);
        writeHistograms(spec, histograms, window.fromMillis(), window.toMillis());
        if (mm4j) {
            writePauseLog(spec, collections.pauseLog(), window);
        }
        return operations;
    }

    /** mm4j's longest pause of {@code kind} in µs; null for a JVM system or a kind that did not run. */
    private static Double pauseMaxMicros(boolean mm4j, CollectionRecorder collections, int kind) {
        long max = mm4j ? collections.pauseMax(kind) : 0;
        return max == 0 ? null : max / 1e3;
    }

    private static void putLatencies(Map<String, Object> result, String prefix, Latencies.Summary s) {
        result.put(prefix + "_count", s.count());
        result.put(prefix + "_p50_us", s.p50() / 1e3);
        result.put(prefix + "_p99_us", s.p99() / 1e3);
        result.put(prefix + "_p999_us", s.p999() / 1e3);
        result.put(prefix + "_max_us", s.max() / 1e3);
        result.put(prefix + "_total_ms", s.totalNanos() / 1e6);
    }

    private static Double share(long part, long whole) {
        return whole <= 0 ? null : (double) part / whole;
    }

    private static long ticksToNanos(long ticks) {
        return ticks * (1_000_000_000L / ProcFiles.TICKS_PER_SECOND);
    }

    /**
     * The heap's live bytes after a full collection, with each object's handle-table entry: what the
     * objects need, as {@link HeapStats.TypeStats#bytesPerObject()} counts them.
     */
    private static long liveBytes(HeapChurn workload) {
        workload.heap().gc().collect();
        HeapStats stats = workload.heap().stats();
        // The JVM systems' Java heaps get a full collection after the build (usedJavaHeapAfterGc); so does
        // this JVM's: what the build left on it (mm4j's page descriptors, its mark bitmap) is promoted
        // now rather than copied by a young pause in the measured part.
        System.gc();
        return stats.liveBytes() + stats.liveObjects() * HeapChurn.HANDLE_ENTRY_BYTES;
    }

    /** The used Java heap after a full collection (a second one, for what the first left to finalize). */
    private static long usedJavaHeapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * mm4j's pauses one by one, beside the histograms ({@code <system>-pauses.csv}): seconds into the measured
     * part when it was recorded (at the pause's end or soon after), its kind ({@link CollectionRecorder.Pause}), its length and its time to stop
     * the program in microseconds.
     */
    private static void writePauseLog(GcChildSpec spec, List<CollectionRecorder.Pause> pauses, Window window)
            throws IOException {
        StringBuilder csv = new StringBuilder("seconds,kind,pause_us,stop_us" + System.lineSeparator());
        for (CollectionRecorder.Pause p : pauses) {
            csv.append(String.format(Locale.ROOT, "%.3f,%s,%.1f,%.1f%n", (p.endNanos() - window.fromNanos()) / 1e9,
                    p.kind(), p.pauseNanos() / 1e3, p.stopNanos() / 1e3));
        }
        Files.writeString(pauseLog(spec), csv);
    }

    /** Where {@link #writePauseLog} writes: beside the histogram log. */
    static Path pauseLog(GcChildSpec spec) {
        return spec.histogramLog().resolveSibling(spec.system().id + "-pauses.csv");
    }

    /**
     * The distributions in HdrHistogram's log format, each tagged with its name, as one interval: the
     * measured part, from {@code fromMillis} to {@code toMillis} (since the epoch).
     */
    private static void writeHistograms(GcChildSpec spec, Map<String, Histogram> histograms, long fromMillis,
            long toMillis) throws IOException {
        Files.createDirectories(spec.histogramLog().toAbsolutePath().getParent());
        HistogramLogWriter writer = new HistogramLogWriter(spec.histogramLog().toFile());
        try {
            writer.outputComment("mm4j bench gc, system " + spec.system().id + ", values in nanoseconds");
            writer.outputLogFormatVersion();
            writer.outputStartTime(fromMillis);
            writer.setBaseTime(fromMillis);
            writer.outputLegend();
            histograms.forEach((tag, histogram) -> {
                Histogram h = histogram.copy();
                h.setTag(tag);
                h.setStartTimeStamp(fromMillis);
                h.setEndTimeStamp(toMillis);
                writer.outputIntervalHistogram(h);
            });
        } finally {
            writer.close();
        }
    }
}
