package org.mm4j.app.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the C program's output ({@code mm4j-bench/src/main/c/allocbench.c}): lines of
 * {@code key=value} pairs after a first word, {@code result} for a measurement and {@code info} for a
 * fact. Other lines are ignored.
 */
final class CProgramOutput {
    private CProgramOutput() {}

    /** The measurements in {@code output}. */
    static List<ResultRow> parse(String output) {
        List<ResultRow> rows = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (!line.startsWith("result ")) {
                continue;
            }
            Map<String, String> fields = fields(line);
            String size = fields.getOrDefault("size", "-");
            ResultRow.Memory memory = null;
            if (fields.containsKey("live_bytes")) {
                Map<String, Object> record = new LinkedHashMap<>();
                record.put("live_bytes", Double.valueOf(fields.get("live_bytes")));
                record.put("committed_bytes", Double.valueOf(fields.getOrDefault("committed_bytes", "-1")));
                record.put("committed_source", committedSource(fields.get("allocator")));
                record.put("rss_bytes", Double.valueOf(fields.get("rss_bytes")));
                record.put("rss_baseline_bytes", Double.valueOf(fields.getOrDefault("rss_baseline_bytes", "-1")));
                memory = JmhResults.memory(record);
            }
            rows.add(new ResultRow(fields.get("workload"), fields.get("allocator"),
                    Integer.parseInt(fields.getOrDefault("threads", "1")), size.equals("-") ? null : Long.valueOf(size),
                    Double.parseDouble(fields.get("ns_per_op")), Double.NaN, memory));
        }
        return rows;
    }

    /** The {@code info} facts in {@code output}, merged. */
    static Map<String, String> info(String output) {
        Map<String, String> facts = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("info ")) {
                facts.putAll(fields(line));
            }
        }
        return facts;
    }

    private static Map<String, String> fields(String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String word : line.trim().split("\\s+")) {
            int eq = word.indexOf('=');
            if (eq > 0) {
                fields.put(word.substring(0, eq), word.substring(eq + 1));
            }
        }
        return fields;
    }

    private static String committedSource(String allocator) {
        return switch (allocator == null ? "" : allocator) {
            case "c-jemalloc" -> "mallctl stats.resident";
            case "c-mimalloc" -> "mi_process_info current_commit";
            case "c-tcmalloc" -> "generic.heap_size - tcmalloc.pageheap_unmapped_bytes";
            default -> "mallinfo2() arena + hblkhd, minus the value at start";
        };
    }
}
