package org.mm4j.app.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code mm4j bench gc}'s table: one column per system that ran, one row per figure, side by side; and
 * the targets, read off the figures.
 */
final class GcResultTable {
    private GcResultTable() {}

    /** How a row's figures read. */
    enum Unit { BYTES, COUNT, MICROS, MILLIS, SECONDS, PER_SECOND, SHARE, PLAIN }

    /** A row: its label, the figure's key in {@link GcResult}, its unit. */
    record Row(String label, String key, Unit unit) {}

    /** A blank line between groups of rows. */
    static final Row GAP = new Row("", "", Unit.PLAIN);

    static final List<Row> ROWS = List.of(
            new Row("live set", GcResult.LIVE_BYTES, Unit.BYTES),
            new Row("objects", GcResult.OBJECTS, Unit.COUNT),
            new Row("heap (mm4j: limit)", GcResult.HEAP_BYTES, Unit.BYTES),
            new Row("build", GcResult.BUILD_S, Unit.SECONDS),
            GAP,
            new Row("pauses", GcResult.PAUSE_COUNT, Unit.COUNT),
            new Row("pause p50", GcResult.PAUSE_P50_US, Unit.MICROS),
            new Row("pause p99", GcResult.PAUSE_P99_US, Unit.MICROS),
            new Row("pause p99.9", GcResult.PAUSE_P999_US, Unit.MICROS),
            new Row("pause max", GcResult.PAUSE_MAX_US, Unit.MICROS),
            new Row("pauses in all", GcResult.PAUSE_TOTAL_MS, Unit.MILLIS),
            new Row("minor pause max", GcResult.MINOR_PAUSE_MAX_US, Unit.MICROS),
            new Row("cycle-starting minor max", GcResult.STARTING_MINOR_PAUSE_MAX_US, Unit.MICROS),
            new Row("old-gen pause max", GcResult.CYCLE_PAUSE_MAX_US, Unit.MICROS),
            new Row("full pause max", GcResult.FULL_PAUSE_MAX_US, Unit.MICROS),
            new Row("time to stop p99", GcResult.STOP_P99_US, Unit.MICROS),
            new Row("time to stop max", GcResult.STOP_MAX_US, Unit.MICROS),
            new Row("stops given up", GcResult.STOPS_GIVEN_UP, Unit.COUNT),
            new Row("safepoints (any)", GcResult.SAFEPOINT_COUNT, Unit.COUNT),
            new Row("safepoint max", GcResult.SAFEPOINT_MAX_US, Unit.MICROS),
            GAP,
            new Row("stall p50", GcResult.STALL_P50_US, Unit.MICROS),
            new Row("stall p99", GcResult.STALL_P99_US, Unit.MICROS),
            new Row("stall p99.9", GcResult.STALL_P999_US, Unit.MICROS),
            new Row("stall max", GcResult.STALL_MAX_US, Unit.MICROS),
            new Row("op response p50", GcResult.OP_P50_US, Unit.MICROS),
            new Row("op response p99", GcResult.OP_P99_US, Unit.MICROS),
            new Row("op response p99.9", GcResult.OP_P999_US, Unit.MICROS),
            new Row("op response max", GcResult.OP_MAX_US, Unit.MICROS),
            new Row("op service p50", GcResult.OP_SERVICE_P50_US, Unit.MICROS),
            GAP,
            new Row("throughput", GcResult.OPS_PER_S, Unit.PER_SECOND),
            new Row("ops missed", GcResult.OPS_MISSED, Unit.COUNT),
            new Row("ops per CPU second", GcResult.OPS_PER_CPU_S, Unit.PER_SECOND),
            new Row("collector CPU share", GcResult.GC_CPU_SHARE, Unit.SHARE),
            new Row("assists (mutators)", GcResult.ASSIST_MS, Unit.MILLIS),
            new Row("process CPU (cores)", GcResult.PROCESS_CPU_CORES, Unit.PLAIN),
            new Row("CPU stolen (machine)", GcResult.STEAL_MS, Unit.MILLIS),
            new Row("minor page faults", GcResult.MINOR_FAULTS_PER_S, Unit.PER_SECOND),
            new Row("major page faults", GcResult.MAJOR_FAULTS, Unit.COUNT),
            new Row("RSS peak", GcResult.RSS_BYTES, Unit.BYTES),
            new Row("RSS at end", GcResult.RSS_END_BYTES, Unit.BYTES));

    /** The table of the systems in {@code results} that ran (status ok), in their order. */
    static String render(List<Map<String, Object>> results) {
        List<Map<String, Object>> ran = results.stream()
                .filter(r -> GcResult.OK.equals(r.get(GcResult.STATUS))).toList();
        List<String[]> lines = new ArrayList<>();
        String[] header = new String[ran.size() + 1];
        header[0] = "";
        for (int i = 0; i < ran.size(); i++) {
            header[i + 1] = String.valueOf(ran.get(i).get(GcResult.SYSTEM));
        }
        lines.add(header);
        for (Row row : ROWS) {
            if (row.equals(GAP)) {
                lines.add(null);
                continue;
            }
            String[] line = new String[ran.size() + 1];
            line[0] = row.label();
            for (int i = 0; i < ran.size(); i++) {
                line[i + 1] = format(GcResult.number(ran.get(i), row.key()), row.unit());
            }
            lines.add(line);
        }
        return TextReport.align(lines, c -> c > 0);
    }

    /** A figure in its unit, short; "—" when missing. */
    static String format(double value, Unit unit) {
        if (Double.isNaN(value)) {
            return "—";
        }
        return switch (unit) {
            case BYTES -> ResultTable.bytes(Math.round(value));
            case COUNT -> String.format(Locale.ROOT, "%,d", Math.round(value));
            case MICROS -> micros(value);
            case MILLIS -> micros(value * 1e3);
            case SECONDS -> micros(value * 1e6);
            case PER_SECOND -> value >= 1e6 ? ResultTable.number(value / 1e6) + " M/s"
                    : value >= 1e3 ? ResultTable.number(value / 1e3) + " k/s" : ResultTable.number(value) + " /s";
            case SHARE -> String.format(Locale.ROOT, "%.1f %%", 100 * value);
            case PLAIN -> ResultTable.number(value);
        };
    }

    /** Microseconds as µs, ms or s, three significant digits. */
    static String micros(double us) {
        return us == 0 ? "0" : us < 1000 ? ResultTable.number(us) + " µs" : us < 1e6 ? ResultTable.number(us / 1e3) + " ms"
                : ResultTable.number(us / 1e6) + " s";
    }

    /**
     * The targets for mm4j, each with mm4j's figure and whether it is met; empty when mm4j did
     * not run. A target against a peer that did not run reads "no peer".
     */
    static Map<String, String> targets(List<Map<String, Object>> results) {
        Map<String, Object> mm4j = ok(results, GcSystem.MM4J.id);
        Map<String, String> targets = new LinkedHashMap<>();
        if (mm4j == null) {
            return targets;
        }
        double maxPause = GcResult.number(mm4j, GcResult.PAUSE_MAX_US);
        targets.put("max pause ≤ 1 ms", verdict(micros(maxPause), maxPause <= 1000));
        double p99 = GcResult.number(mm4j, GcResult.PAUSE_P99_US);
        targets.put("pause p99 ≤ 0.5 ms", verdict(micros(p99), p99 <= 500));
        double stall = GcResult.number(mm4j, GcResult.STALL_P999_US);
        Map<String, Object> zgc = ok(results, GcSystem.JVM_ZGC.id);
        double zgcStall = zgc == null ? Double.NaN : GcResult.number(zgc, GcResult.STALL_P999_US);
        targets.put("stall p99.9 ≤ jvm-zgc's", zgc == null ? micros(stall) + " (no peer)"
                : verdict(micros(stall) + " vs " + micros(zgcStall), stall <= zgcStall));
        double cpu = GcResult.number(mm4j, GcResult.GC_CPU_SHARE);
        targets.put("collector CPU ≤ 10 %", verdict(format(cpu, Unit.SHARE), cpu <= 0.10));
        double rss = GcResult.number(mm4j, GcResult.RSS_BYTES);
        Map<String, Object> g1 = ok(results, GcSystem.JVM_G1.id);
        double g1Rss = g1 == null ? Double.NaN : GcResult.number(g1, GcResult.RSS_BYTES);
        targets.put("RSS peak ≤ 0.5× jvm-g1's", g1 == null ? format(rss, Unit.BYTES) + " (no peer)"
                : verdict(String.format(Locale.ROOT, "%.2f×", rss / g1Rss), rss <= 0.5 * g1Rss));
        return targets;
    }

    private static String verdict(String figure, boolean met) {
        return figure + (met ? "  met" : "  not met");
    }

    private static Map<String, Object> ok(List<Map<String, Object>> results, String system) {
        for (Map<String, Object> r : results) {
            if (system.equals(r.get(GcResult.SYSTEM)) && GcResult.OK.equals(r.get(GcResult.STATUS))) {
                return r;
            }
        }
        return null;
    }
}
