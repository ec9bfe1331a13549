package org.mm4j.app.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one child JVM of {@code mm4j bench gc} runs, passed on its command line as {@code key=value}
 * arguments.
 *
 * @param system the system under test
 * @param groups the workload's groups (see {@link ChurnShape})
 * @param threads mutator threads
 * @param rate target operations per second over all threads; 0 for as fast as they can
 * @param warmupMillis the unmeasured churn before the measured part
 * @param durationMillis the measured part
 * @param seed the seed of the build and of every thread's operations
 * @param heapBytes the JVM's heap, or mm4j's heap's limit
 * @param safepointLog where the JVM writes its safepoint log
 * @param histogramLog where the child writes its histograms (HdrHistogram's log format)
 * @param heapSettings the mm4j heap's collector settings (mm4j only)
 */
record GcChildSpec(GcSystem system, int groups, int threads, double rate, long warmupMillis, long durationMillis,
        long seed, long heapBytes, Path safepointLog, Path histogramLog, HeapSettings heapSettings) {

    ChurnShape shape() {
        return new ChurnShape(groups, threads);
    }

    List<String> toArguments() {
        return List.of("system=" + system.id, "groups=" + groups, "threads=" + threads, "rate=" + rate,
                "warmupMillis=" + warmupMillis, "durationMillis=" + durationMillis, "seed=" + seed,
                "heapBytes=" + heapBytes, "safepointLog=" + safepointLog, "histogramLog=" + histogramLog,
                "heapSettings=" + heapSettings.toArgument());
    }

    /**
     * The spec of {@link #toArguments()}.
     *
     * @throws IllegalArgumentException if an argument is missing, unknown or malformed
     */
    static GcChildSpec parse(String... arguments) {
        Map<String, String> values = new HashMap<>();
        for (String argument : arguments) {
            int equals = argument.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("expected key=value: " + argument);
            }
            values.put(argument.substring(0, equals), argument.substring(equals + 1));
        }
        try {
            String id = take(values, "system");
            GcSystem system = GcSystem.byId(id);
            if (system == null) {
                throw new IllegalArgumentException("unknown system " + id);
            }
            GcChildSpec spec = new GcChildSpec(system, Integer.parseInt(take(values, "groups")),
                    Integer.parseInt(take(values, "threads")), Double.parseDouble(take(values, "rate")),
                    Long.parseLong(take(values, "warmupMillis")), Long.parseLong(take(values, "durationMillis")),
                    Long.parseLong(take(values, "seed")), Long.parseLong(take(values, "heapBytes")),
                    Path.of(take(values, "safepointLog")), Path.of(take(values, "histogramLog")),
                    HeapSettings.parse(take(values, "heapSettings")));
            if (!values.isEmpty()) {
                throw new IllegalArgumentException("unknown arguments " + values.keySet());
            }
            return spec;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad number: " + e.getMessage(), e);
        }
    }

    private static String take(Map<String, String> values, String key) {
        String value = values.remove(key);
        if (value == null) {
            throw new IllegalArgumentException("missing " + key + "=");
        }
        return value;
    }
}
