package org.mm4j.app.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads what the JMH runs of mm4j-bench leave: the {@code -rf json} result file and the memory side
 * channel ({@code -Dmm4j.bench.report}: one JSON object per line, written by churn at the end of a run).
 */
final class JmhResults {
    private JmhResults() {}

    /**
     * The rows of a JMH JSON result file; benchmarks that are not allocator workloads are ignored.
     *
     * @throws IllegalArgumentException if the text is not a JMH result array
     */
    static List<ResultRow> parse(String json) {
        if (!(Json.parse(json) instanceof List<?> results)) {
            throw new IllegalArgumentException("a JMH result file is a JSON array");
        }
        List<ResultRow> rows = new ArrayList<>();
        for (Object entry : results) {
            Map<?, ?> result = (Map<?, ?>) entry;
            Workload workload = Workload.byBenchmark(String.valueOf(result.get("benchmark")));
            if (workload == null) {
                continue;
            }
            Map<?, ?> params = result.get("params") instanceof Map<?, ?> p ? p : Map.of();
            Map<?, ?> metric = (Map<?, ?>) result.get("primaryMetric");
            double toNanos = nanosPerUnit(String.valueOf(metric.get("scoreUnit")));
            double score = ((Number) metric.get("score")).doubleValue() * toNanos;
            double error = metric.get("scoreError") instanceof Number n ? n.doubleValue() * toNanos : Double.NaN;
            Object size = params.get("size");
            Object threads = params.get("threads");
            rows.add(new ResultRow(workload.id(), String.valueOf(params.get("allocator")),
                    threads == null ? 1 : Integer.parseInt(String.valueOf(threads)),
                    size != null ? Long.valueOf(String.valueOf(size)) : workload.fixedSize, score, error, null));
        }
        return rows;
    }

    /** Nanoseconds per time unit of a JMH average-time score unit ({@code ns/op}, {@code us/op}, …). */
    private static double nanosPerUnit(String unit) {
        return switch (unit) {
            case "ns/op" -> 1;
            case "us/op" -> 1e3;
            case "ms/op" -> 1e6;
            case "s/op" -> 1e9;
            default -> throw new IllegalArgumentException("unexpected score unit " + unit + " (expected time/op)");
        };
    }

    /** The memory records of the side channel, one JSON object per line. */
    static List<Map<?, ?>> parseMemoryLines(String text) {
        List<Map<?, ?>> records = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                records.add((Map<?, ?>) Json.parse(line));
            }
        }
        return records;
    }

    /**
     * {@code rows} with the memory of each churn row attached from {@code records} (matched by workload,
     * allocator and threads; the last record wins, as a rerun appends).
     */
    static List<ResultRow> attachMemory(List<ResultRow> rows, List<Map<?, ?>> records) {
        List<ResultRow> out = new ArrayList<>(rows.size());
        for (ResultRow row : rows) {
            ResultRow.Memory memory = null;
            for (Map<?, ?> record : records) {
                if (row.workload().equals(record.get("workload")) && row.allocator().equals(record.get("allocator"))
                        && row.threads() == ((Number) record.get("threads")).intValue()) {
                    memory = memory(record);
                }
            }
            out.add(memory == null ? row : row.withMemory(memory));
        }
        return out;
    }

    /** The memory of one record (side channel or C program), keys as in the JSON output. */
    static ResultRow.Memory memory(Map<?, ?> record) {
        Object committed = record.get("committed_bytes");
        long committedValue = committed instanceof Number n ? n.longValue() : -1;
        return new ResultRow.Memory(((Number) record.get("live_bytes")).longValue(),
                committedValue < 0 ? null : committedValue,
                record.get("committed_source") == null ? "" : String.valueOf(record.get("committed_source")),
                ((Number) record.get("rss_bytes")).longValue(),
                record.get("rss_baseline_bytes") instanceof Number n ? n.longValue() : -1);
    }
}
