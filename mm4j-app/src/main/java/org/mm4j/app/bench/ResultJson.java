package org.mm4j.app.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The raw results as a JSON array, one object per row: {@code workload}, {@code allocator},
 * {@code threads}, {@code size_bytes} (null where sizes vary), {@code ns_per_op}, {@code ops_per_s},
 * {@code ratio_to_mm4j} (this row's time over mm4j's in the same case), {@code score_error_ns} (JMH's
 * 99.9 % margin; null for one iteration and for C), {@code source} ({@code jmh} or {@code c}), and for
 * churn {@code live_bytes}, {@code committed_bytes} (null when the allocator has no such figure),
 * {@code committed_source}, {@code rss_bytes}, {@code rss_baseline_bytes}.
 */
final class ResultJson {
    private ResultJson() {}

    static String write(List<ResultRow> rows) {
        List<ResultRow> sorted = new ArrayList<>(rows);
        sorted.sort(ResultRow.ORDER);
        StringBuilder out = new StringBuilder("[\n");
        for (int i = 0; i < sorted.size(); i++) {
            ResultRow row = sorted.get(i);
            out.append("  {\"workload\": ").append(Json.quote(row.workload()))
                    .append(", \"allocator\": ").append(Json.quote(row.allocator()))
                    .append(", \"threads\": ").append(row.threads())
                    .append(", \"size_bytes\": ").append(row.sizeBytes() == null ? "null" : row.sizeBytes().toString())
                    .append(", \"ns_per_op\": ").append(number(row.nsPerOp()))
                    .append(", \"ops_per_s\": ").append(number(row.opsPerSecond()))
                    .append(", \"ratio_to_mm4j\": ").append(number(ResultTable.ratioToMm4j(row, sorted)))
                    .append(", \"score_error_ns\": ").append(number(row.scoreError()))
                    .append(", \"source\": ").append(Json.quote(row.allocator().startsWith("c-") ? "c" : "jmh"));
            ResultRow.Memory m = row.memory();
            if (m != null) {
                out.append(", \"live_bytes\": ").append(m.liveBytes())
                        .append(", \"committed_bytes\": ").append(m.committedBytes() == null ? "null" : m.committedBytes().toString())
                        .append(", \"committed_source\": ").append(Json.quote(m.committedSource()))
                        .append(", \"rss_bytes\": ").append(m.rssBytes())
                        .append(", \"rss_baseline_bytes\": ").append(m.rssBaselineBytes() < 0 ? "null" : Long.toString(m.rssBaselineBytes()));
            }
            out.append(i == sorted.size() - 1 ? "}\n" : "},\n");
        }
        return out.append("]\n").toString();
    }

    private static String number(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "null" : Double.toString(value);
    }
}
