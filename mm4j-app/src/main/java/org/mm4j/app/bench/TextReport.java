package org.mm4j.app.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/** The parts the benchmark commands' reports share. */
final class TextReport {
    private TextReport() {}

    /**
     * A titled block of labelled lines, the labels padded to one width, and a blank line after it;
     * nothing when there are no lines.
     */
    static void section(PrintWriter out, String title, Map<String, String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        out.println(title);
        int width = lines.keySet().stream().mapToInt(String::length).max().orElse(0);
        lines.forEach((k, v) -> out.println("  " + k + " ".repeat(width - k.length()) + "  " + v));
        out.println();
    }

    /**
     * Table lines with their columns padded to the widest cell, two spaces apart, the columns that
     * {@code rightAligned} names right-aligned; a null line is a blank separator. Trailing spaces are cut.
     */
    static String align(List<String[]> lines, IntPredicate rightAligned) {
        int columns = 0;
        for (String[] line : lines) {
            columns = line == null ? columns : Math.max(columns, line.length);
        }
        int[] width = new int[columns];
        for (String[] line : lines) {
            if (line != null) {
                for (int c = 0; c < line.length; c++) {
                    width[c] = Math.max(width[c], line[c].length());
                }
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] line : lines) {
            if (line == null) {
                out.append('\n');
                continue;
            }
            StringBuilder text = new StringBuilder();
            for (int c = 0; c < line.length; c++) {
                String pad = " ".repeat(width[c] - line[c].length());
                text.append(rightAligned.test(c) ? pad + line[c] : line[c] + pad);
                if (c < line.length - 1) {
                    text.append("  ");
                }
            }
            out.append(text.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /** Writes {@code text} to {@code file}, making its folder first. */
    static void writeFile(Path file, String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
