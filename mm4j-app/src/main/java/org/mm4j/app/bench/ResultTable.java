package org.mm4j.app.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The comparison as one text table: a group of rows per workload case (workload, threads, size), one
 * row per allocator with ns/op, throughput, the ratio of its time to mm4j's in the same case, and for
 * churn the memory left at the end. Rows come in {@link ResultRow#ORDER}.
 */
final class ResultTable {
    static final String[] HEADER = {"workload", "threads", "size", "allocator", "ns/op", "±", "Mops/s", "vs mm4j",
        "notes"};

    private ResultTable() {}

    /** The time of {@code row} over mm4j's in the same case, or NaN when mm4j has no result there. */
    static double ratioToMm4j(ResultRow row, List<ResultRow> all) {
        for (ResultRow other : all) {
            if (other.allocator().equals("mm4j") && other.sameCase(row)) {
                return row.nsPerOp() / other.nsPerOp();
            }
        }
        return Double.NaN;
    }

    /** Throughput with 2 threads over throughput with 1, same workload and allocator; NaN if either is missing. */
    static double scaling(ResultRow twoThreads, List<ResultRow> all) {
        for (ResultRow other : all) {
            if (other.threads() == 1 && other.workload().equals(twoThreads.workload())
                    && other.allocator().equals(twoThreads.allocator())
                    && Objects.equals(other.sizeBytes(), twoThreads.sizeBytes())) {
                return other.nsPerOp() / twoThreads.nsPerOp();
            }
        }
        return Double.NaN;
    }

    /** The table of {@code rows} (sorted here), with aligned columns. */
    static String render(List<ResultRow> rows) {
        List<ResultRow> sorted = new ArrayList<>(rows);
        sorted.sort(ResultRow.ORDER);
        List<String[]> lines = new ArrayList<>();
        lines.add(HEADER);
        ResultRow previous = null;
        for (ResultRow row : sorted) {
            boolean first = previous == null || !previous.sameCase(row);
            if (first && previous != null) {
                lines.add(null);
            }
            lines.add(new String[] {
                first ? row.workload() : "",
                first ? Integer.toString(row.threads()) : "",
                first ? (row.sizeBytes() == null ? "varies" : bytes(row.sizeBytes())) : "",
                row.allocator(),
                number(row.nsPerOp()),
                Double.isNaN(row.scoreError()) ? "" : number(row.scoreError()),
                number(row.opsPerSecond() / 1e6),
                ratio(ratioToMm4j(row, sorted)),
                notes(row, sorted)});
            previous = row;
        }
        return TextReport.align(lines, c -> c == 1 || (c >= 4 && c <= 7));
    }

    private static String notes(ResultRow row, List<ResultRow> all) {
        List<String> notes = new ArrayList<>();
        if (row.threads() == 2) {
            double scaling = scaling(row, all);
            if (!Double.isNaN(scaling)) {
                notes.add(String.format(Locale.ROOT, "2 threads: %.2f× the throughput of 1", scaling));
            }
        }
        ResultRow.Memory m = row.memory();
        if (m != null) {
            StringBuilder memory = new StringBuilder("live ").append(bytes(m.liveBytes()));
            if (m.committedBytes() != null) {
                memory.append(", committed ").append(bytes(m.committedBytes()));
                if (m.liveBytes() > 0) {
                    memory.append(String.format(Locale.ROOT, " (%.2f× live)", (double) m.committedBytes() / m.liveBytes()));
                }
            }
            memory.append(", RSS ").append(bytes(m.rssBytes()));
            if (m.rssBaselineBytes() >= 0) {
                memory.append(" (+").append(bytes(Math.max(0, m.rssBytes() - m.rssBaselineBytes()))).append(')');
            }
            notes.add(memory.toString());
        }
        return String.join("; ", notes);
    }

    /** A byte count in B, KiB, MiB or GiB, at most three significant digits past a whole unit. */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return (value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, value < 10 ? "%.2f" : value < 100 ? "%.1f" : "%.0f", value))
                + " " + units[unit];
    }

    /** Three significant digits (at least), no exponent. */
    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "—";
        }
        double magnitude = Math.abs(value);
        String pattern = magnitude >= 100 ? "%.0f" : magnitude >= 10 ? "%.1f" : magnitude >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, value);
    }

    static String ratio(double value) {
        return Double.isNaN(value) ? "—" : String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.2f", value);
    }
}
