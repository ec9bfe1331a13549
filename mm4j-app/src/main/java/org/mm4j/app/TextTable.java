package org.mm4j.app;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table: a header, a rule, then rows; each column as wide as its widest cell. */
final class TextTable {

  /** Where a column's cells sit: text to the left, numbers to the right so their digits line up. */
  enum Align {
    LEFT,
    RIGHT
  }

  private static final String GAP = "  ";

  private final List<String> headers = new ArrayList<>();
  private final List<Align> aligns = new ArrayList<>();
  private final List<List<String>> rows = new ArrayList<>();

  TextTable column(String header, Align align) {
    if (!rows.isEmpty()) {
      throw new IllegalStateException("columns must be declared before the first row");
    }
    headers.add(header);
    aligns.add(align);
    return this;
  }

  TextTable row(String... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException(
          "a row needs " + headers.size() + " cells, got " + cells.length);
    }
    rows.add(List.of(cells));
    return this;
  }

  void print(PrintWriter out, String indent) {
    int[] widths = new int[headers.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = headers.get(c).length();
      for (List<String> row : rows) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    printLine(out, indent, headers, widths);
    List<String> rule = new ArrayList<>();
    for (int width : widths) {
      rule.add("-".repeat(width));
    }
    printLine(out, indent, rule, widths);
    for (List<String> row : rows) {
      printLine(out, indent, row, widths);
    }
  }

  private void printLine(PrintWriter out, String indent, List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder(indent);
    for (int c = 0; c < cells.size(); c++) {
      String cell = cells.get(c);
      String pad = " ".repeat(widths[c] - cell.length());
      line.append(c == 0 ? "" : GAP);
      line.append(aligns.get(c) == Align.LEFT ? cell + pad : pad + cell);
    }
    out.println(line.toString().stripTrailing());
  }
}
