package org.mm4j.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code bench gc}'s parent side: what passes to a child and back, the table, the targets, the JSON
 * file, and the options' units.
 */
class GcReportTest {
    /** The keys the issue asks of every system's object. */
    static final List<String> REQUIRED = List.of("system", "live_bytes", "objects", "pause_p50_us", "pause_p99_us",
            "pause_p999_us", "pause_max_us", "stall_p999_us", "ops_per_s", "gc_cpu_share", "rss_bytes");

    static Map<String, Object> figures(String system, double pauseMaxUs, double stallP999Us, double gcShare,
            double rssBytes) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put(GcResult.SYSTEM, system);
        r.put(GcResult.STATUS, GcResult.OK);
        r.put(GcResult.REASON, null);
        r.put(GcResult.LIVE_BYTES, 200.0 * (1 << 20));
        r.put(GcResult.OBJECTS, 2_369_715.0);
        r.put(GcResult.PAUSE_COUNT, 12.0);
        r.put(GcResult.PAUSE_P50_US, pauseMaxUs / 4);
        r.put(GcResult.PAUSE_P99_US, pauseMaxUs / 2);
        r.put(GcResult.PAUSE_P999_US, pauseMaxUs);
        r.put(GcResult.PAUSE_MAX_US, pauseMaxUs);
        r.put(GcResult.STALL_P999_US, stallP999Us);
        r.put(GcResult.OPS_PER_S, 50_000.0);
        r.put(GcResult.GC_CPU_SHARE, gcShare);
        r.put(GcResult.RSS_BYTES, rssBytes);
        return r;
    }

    @Test
    void theChildsArgumentsComeBackAsTheyWent() {
        GcChildSpec spec = new GcChildSpec(GcSystem.JVM_ZGC, 4096, 2, 12_500.5, 3000, 12_000, -42, 400L << 20,
                Path.of("/tmp/a b/safepoints.log"), Path.of("h.hlog"),
                new HeapSettings(500_000L, 1.5, 32L << 20, 0, false));
        assertEquals(spec, GcChildSpec.parse(spec.toArguments().toArray(String[]::new)));
        assertThrows(IllegalArgumentException.class, () -> GcChildSpec.parse("system=jvm-g1"), "missing keys");
        List<String> unknown = new java.util.ArrayList<>(spec.toArguments());
        unknown.add("colour=blue");
        assertThrows(IllegalArgumentException.class, () -> GcChildSpec.parse(unknown.toArray(String[]::new)));
        List<String> badSystem = new java.util.ArrayList<>(spec.toArguments());
        badSystem.set(0, "system=jvm-parallel");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GcChildSpec.parse(badSystem.toArray(String[]::new)));
        assertTrue(e.getMessage().contains("jvm-parallel"), e.getMessage());
    }

    @Test
    void eachSystemsJvmHasItsCollectorAndHeap() {
        assertEquals(List.of("-XX:+UseZGC", "-Xms400m", "-Xmx400m"), GcSystem.JVM_ZGC.jvmOptions(400L << 20));
        assertEquals(List.of("--enable-native-access=ALL-UNNAMED", "-XX:+UseG1GC", "-Xms64m", "-Xmx64m"),
                GcSystem.MM4J.jvmOptions(4L << 30), "mm4j's data is off the Java heap");
        assertEquals("-Xlog:safepoint=info:file=/x/s.log:uptimenanos:filecount=0",
                GcSystem.safepointLogOption(Path.of("/x/s.log")));
        assertEquals(GcSystem.JVM_SHENANDOAH, GcSystem.byId("jvm-shenandoah"));
        assertNull(GcSystem.byId("shenandoah"));
    }

    @Test
    void theResultLineIsFoundAmongOtherOutput() {
        Map<String, Object> sent = figures("mm4j", 1500, 800, 0.25, 1e9);
        String stdout = "a warning\n" + GcChild.RESULT_PREFIX + Json.write(sent) + "\n";
        Map<String, Object> received = GcBenchCommand.parseResult(stdout);
        assertEquals(sent.keySet(), received.keySet());
        assertEquals("mm4j", received.get(GcResult.SYSTEM));
        assertEquals(1500.0, received.get(GcResult.PAUSE_MAX_US));
        assertNull(received.get(GcResult.REASON));
        assertNull(GcBenchCommand.parseResult("Exception in thread main\n"));
    }

    @Test
    void theJsonFileHasOneObjectPerSystemWithTheIssuesKeys() {
        List<Map<String, Object>> results = List.of(figures("mm4j", 1500, 800, 0.25, 1e9),
                figures("jvm-g1", 50_000, 40_000, 0.3, 2e9),
                GcResult.notRun(GcSystem.JVM_SHENANDOAH, GcResult.SKIPPED, "this JDK refuses it"));
        List<?> parsed = (List<?>) Json.parse(GcBenchCommand.jsonArray(results));
        assertEquals(3, parsed.size());
        for (int i = 0; i < 2; i++) {
            Map<?, ?> object = (Map<?, ?>) parsed.get(i);
            for (String key : REQUIRED) {
                assertTrue(object.containsKey(key), key + " in " + object);
            }
        }
        Map<?, ?> skipped = (Map<?, ?>) parsed.get(2);
        assertEquals("jvm-shenandoah", skipped.get("system"));
        assertEquals("skipped", skipped.get("status"));
        assertEquals("this JDK refuses it", skipped.get("reason"));
        assertTrue(GcBenchCommand.jsonArray(results).contains("\"objects\": 2369715,"), "whole numbers stay whole");
    }

    @Test
    void theTableHasAColumnPerSystemThatRan() {
        List<Map<String, Object>> results = List.of(figures("mm4j", 1500, 800, 0.25, 1e9),
                figures("jvm-zgc", 300, 900, 0.1, 3e9),
                GcResult.notRun(GcSystem.JVM_G1, GcResult.FAILED, "exit 1"));
        String table = GcResultTable.render(results);
        List<String> lines = table.lines().toList();
        assertTrue(lines.get(0).matches(" +mm4j +jvm-zgc"), table);
        assertTrue(table.contains("pause max"), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("pause max +1\\.50 ms +300 µs")), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("collector CPU share +25\\.0 % +10\\.0 %")), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("throughput +50\\.0 k/s +50\\.0 k/s")), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("build +— +—")), "missing figures: " + table);
    }

    @Test
    void theTargetsReadOffMm4jsFiguresAndItsPeers() {
        Map<String, String> targets = GcResultTable.targets(List.of(figures("mm4j", 900, 800, 0.05, 1e9),
                figures("jvm-g1", 50_000, 40_000, 0.3, 3e9), figures("jvm-zgc", 300, 700, 0.1, 3e9)));
        assertEquals("900 µs  met", targets.get("max pause ≤ 1 ms"));
        assertEquals("450 µs  met", targets.get("pause p99 ≤ 0.5 ms"));
        assertEquals("800 µs vs 700 µs  not met", targets.get("stall p99.9 ≤ jvm-zgc's"));
        assertEquals("5.0 %  met", targets.get("collector CPU ≤ 10 %"));
        assertEquals("0.33×  met", targets.get("RSS peak ≤ 0.5× jvm-g1's"));
        Map<String, String> alone = GcResultTable.targets(List.of(figures("mm4j", 2000, 800, 0.5, 1e9)));
        assertTrue(alone.get("stall p99.9 ≤ jvm-zgc's").endsWith("(no peer)"), alone.toString());
        assertEquals("2.00 ms  not met", alone.get("max pause ≤ 1 ms"));
        assertTrue(GcResultTable.targets(List.of(figures("jvm-g1", 1, 1, 0, 1))).isEmpty(), "no mm4j, no targets");
    }

    @Test
    void figuresReadInTheirUnits() {
        assertEquals("0", GcResultTable.micros(0));
        assertEquals("12.3 µs", GcResultTable.micros(12.34));
        assertEquals("1.43 s", GcResultTable.micros(1_428_160));
        assertEquals("2 MiB", GcResultTable.format(2 << 20, GcResultTable.Unit.BYTES));
        assertEquals("1,234,567", GcResultTable.format(1_234_567, GcResultTable.Unit.COUNT));
        assertEquals("4.53 s", GcResultTable.format(4530, GcResultTable.Unit.MILLIS));
        assertEquals("1.50 M/s", GcResultTable.format(1.5e6, GcResultTable.Unit.PER_SECOND));
        assertEquals("—", GcResultTable.format(Double.NaN, GcResultTable.Unit.SHARE));
    }

    @Test
    void sizesAndDurationsParse() {
        assertEquals(2L << 30, GcBenchCommand.parseBytes("2g"));
        assertEquals(2L << 30, GcBenchCommand.parseBytes("2GiB"));
        assertEquals(500L << 20, GcBenchCommand.parseBytes("500m"));
        assertEquals(3L << 29, GcBenchCommand.parseBytes("1.5G"));
        assertEquals(1_048_576, GcBenchCommand.parseBytes("1048576"));
        assertThrows(IllegalArgumentException.class, () -> GcBenchCommand.parseBytes("2 gallons"));
        assertThrows(IllegalArgumentException.class, () -> GcBenchCommand.parseBytes("-1g"));
        assertEquals(12_000, GcBenchCommand.parseMillis("12s"));
        assertEquals(12_000, GcBenchCommand.parseMillis("12"));
        assertEquals(500, GcBenchCommand.parseMillis("500ms"));
        assertEquals(1_500, GcBenchCommand.parseMillis("1.5s"));
        assertEquals(120_000, GcBenchCommand.parseMillis("2m"));
        assertThrows(IllegalArgumentException.class, () -> GcBenchCommand.parseMillis("soon"));
    }
}
