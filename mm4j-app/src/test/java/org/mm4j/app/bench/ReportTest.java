package org.mm4j.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The table and the JSON file: ratios to mm4j in the same case, the scaling note, the required keys. */
class ReportTest {
    static final List<ResultRow> ROWS = List.of(
            new ResultRow("pair", "glibc", 1, 16L, 30.0, Double.NaN, null),
            new ResultRow("pair", "mm4j", 1, 16L, 10.0, 0.5, null),
            new ResultRow("pair", "c-glibc", 1, 16L, 5.0, Double.NaN, null),
            new ResultRow("pair", "mm4j", 1, 256L, 20.0, Double.NaN, null),
            new ResultRow("larson", "mm4j", 2, null, 25.0, Double.NaN, null),
            new ResultRow("larson", "mm4j", 1, null, 40.0, Double.NaN, null),
            new ResultRow("churn", "mm4j", 1, null, 50.0, Double.NaN,
                    new ResultRow.Memory(1 << 20, 5L << 20, "metrics().committedBytes()", 100L << 20, 90L << 20)),
            new ResultRow("churn", "java-new", 1, null, 60.0, Double.NaN,
                    new ResultRow.Memory(1 << 20, null, "none", 100L << 20, -1)));

    @Test
    void ratiosAreToMm4jInTheSameCaseOnly() {
        assertEquals(3.0, ResultTable.ratioToMm4j(ROWS.get(0), ROWS), 1e-12);
        assertEquals(0.5, ResultTable.ratioToMm4j(ROWS.get(2), ROWS), 1e-12);
        assertEquals(1.0, ResultTable.ratioToMm4j(ROWS.get(3), ROWS), 1e-12, "256 B against 256 B, not 16 B");
        assertTrue(Double.isNaN(ResultTable.ratioToMm4j(new ResultRow("pareto", "glibc", 1, null, 1, Double.NaN, null),
                ROWS)), "no mm4j result: no ratio");
        assertEquals(1.6, ResultTable.scaling(ROWS.get(4), ROWS), 1e-12, "2 threads over 1: 40 ns → 25 ns");
    }

    @Test
    void theTableHasOneGroupPerCaseInWorkloadOrderWithMm4jFirst() {
        String table = ResultTable.render(ROWS);
        List<String> lines = table.lines().toList();
        assertTrue(lines.get(0).startsWith("workload"), table);
        assertTrue(lines.get(1).matches("pair +1 +16 B +mm4j +10\\.0 +0\\.500 +100 +1\\.00"), table);
        assertTrue(lines.get(2).matches(" +glibc +30\\.0 +33\\.3 +3\\.00"), table);
        assertTrue(lines.get(3).matches(" +c-glibc +5\\.00 +200 +0\\.50"), table);
        assertEquals("", lines.get(4), "a blank line between cases");
        assertTrue(table.indexOf("pair ") < table.indexOf("larson") && table.indexOf("larson") < table.indexOf("churn"),
                "workloads in issue order: " + table);
        assertTrue(table.contains("2 threads: 1.60× the throughput of 1"), table);
        assertTrue(table.contains("live 1 MiB, committed 5 MiB (5.00× live), RSS 100 MiB (+10 MiB)"), table);
        assertTrue(table.contains("live 1 MiB, RSS 100 MiB"), "no committed figure for java-new here: " + table);
    }

    @Test
    void bytesAndNumbersAreShort() {
        assertEquals("16 B", ResultTable.bytes(16));
        assertEquals("1 MiB", ResultTable.bytes(1 << 20));
        assertEquals("1.50 KiB", ResultTable.bytes(1536));
        assertEquals("12.3", ResultTable.number(12.34));
        assertEquals("1234", ResultTable.number(1234.4));
        assertEquals("—", ResultTable.number(Double.NaN));
    }

    @Test
    void theJsonFileHasTheKeysTheIssueAsksFor() {
        Object parsed = Json.parse(ResultJson.write(ROWS));
        List<?> array = (List<?>) parsed;
        assertEquals(ROWS.size(), array.size());
        for (Object o : array) {
            Map<?, ?> row = (Map<?, ?>) o;
            for (String key : List.of("workload", "allocator", "threads", "size_bytes", "ns_per_op")) {
                assertTrue(row.containsKey(key), key + " in " + row);
            }
            boolean churn = row.get("workload").equals("churn");
            for (String key : List.of("live_bytes", "committed_bytes", "rss_bytes")) {
                assertEquals(churn, row.containsKey(key), key + " only for churn: " + row);
            }
        }
        Map<?, ?> first = (Map<?, ?>) array.get(0);
        assertEquals("pair", first.get("workload"));
        assertEquals("mm4j", first.get("allocator"), "sorted: mm4j first in its case");
        assertEquals(1.0, first.get("threads"));
        assertEquals(16.0, first.get("size_bytes"));
        assertEquals(10.0, first.get("ns_per_op"));
        Map<?, ?> larson = (Map<?, ?>) array.stream().filter(r -> ((Map<?, ?>) r).get("workload").equals("larson"))
                .findFirst().orElseThrow();
        assertNull(larson.get("size_bytes"));
        assertTrue(larson.containsKey("size_bytes"), "size_bytes is null, not missing");
        Map<?, ?> churn = (Map<?, ?>) array.get(array.size() - 1);
        assertEquals("java-new", churn.get("allocator"));
        assertNull(churn.get("committed_bytes"));
        assertEquals((double) (100L << 20), churn.get("rss_bytes"));
        assertFalse(ResultJson.write(ROWS).contains("NaN"), "JSON has no NaN");
    }
}
