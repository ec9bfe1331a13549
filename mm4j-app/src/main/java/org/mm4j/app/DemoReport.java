package org.mm4j.app;

import static org.mm4j.app.ByteUnits.bytes;
import static org.mm4j.app.ByteUnits.count;
import static org.mm4j.app.ByteUnits.percent;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.mm4j.alloc.ObjectPool.PoolStats;
import org.mm4j.app.TextTable.Align;

/** The sections of the demo's report, each printed as soon as its figures are known. */
final class DemoReport {
  private static final String INDENT = "  ";
  private static final List<Lab> FIRST_LAB_LINE =
      List.of(Lab.HBA1C, Lab.GLUCOSE, Lab.CREATININE, Lab.CRP);
  private static final List<Lab> SECOND_LAB_LINE =
      List.of(Lab.SODIUM, Lab.POTASSIUM, Lab.HAEMOGLOBIN, Lab.LDL);

  private DemoReport() {}

  /** What the workload computed: proof that the memory held real data. */
  static void printResults(
      PrintWriter out, ShapeSummary shapes, WardSummary ward, ImagingSummary imaging) {
    out.println("Results");
    out.printf(
        Locale.ROOT,
        "  shapes   %s polygons made, %s measured and freed (mean area %.1f sq px);"
            + " %s views of up to %s polygons (%s vertices)%n",
        count(shapes.created()),
        count(shapes.measured()),
        shapes.measured() == 0 ? 0.0 : shapes.measuredArea() / shapes.measured(),
        count(shapes.views()),
        count(ShapeWaves.VIEW_POLYGONS),
        count(shapes.viewedVertices()));
    out.printf(
        Locale.ROOT,
        "  ward     %s in care (%s admitted, %s discharged); age %.1f y (sd %.1f), %s women,"
            + " %s with HbA1c >= %.1f %%%n",
        count(ward.inCare()),
        count(ward.admitted()),
        count(ward.discharged()),
        ward.age().mean(),
        ward.age().standardDeviation(),
        percent(ward.femaleShare()),
        percent(ward.diabeticShare()),
        Lab.DIABETIC_HBA1C);
    out.println("           " + labLine(ward, FIRST_LAB_LINE));
    out.println("           " + labLine(ward, SECOND_LAB_LINE));
    out.printf(
        Locale.ROOT,
        "  imaging  %s studies, %s planes of %d x %d x 16 bit; mean intensity %.1f,"
            + " %s contrast-enhanced%n",
        count(imaging.studies()),
        count(imaging.planes()),
        ImagingStudies.SIDE,
        ImagingStudies.SIDE,
        imaging.meanIntensity(),
        percent(imaging.enhancedShare()));
  }

  private static String labLine(WardSummary ward, List<Lab> labs) {
    StringBuilder line = new StringBuilder();
    for (Lab lab : labs) {
      WardSummary.Statistic s = ward.labs().get(lab);
      line.append(line.isEmpty() ? "" : ", ")
          .append(
              String.format(
                  Locale.ROOT,
                  "%s %.3g %s (sd %.2g)",
                  lab.label,
                  s.mean(),
                  lab.unit,
                  s.standardDeviation()));
    }
    return line.toString();
  }

  /** One row per allocator. */
  static void printAllocators(PrintWriter out, List<AllocatorSnapshot> allocators) {
    out.println("Allocators at the end of the last round, with the data live");
    TextTable table =
        new TextTable()
            .column("allocator", Align.LEFT)
            .column("allocations", Align.RIGHT)
            .column("live", Align.RIGHT)
            .column("requested", Align.RIGHT)
            .column("allocated", Align.RIGHT)
            .column("waste", Align.RIGHT)
            .column("committed", Align.RIGHT)
            .column("peak committed", Align.RIGHT)
            .column("fragmentation", Align.RIGHT);
    for (AllocatorSnapshot a : allocators) {
      table.row(
          a.name(),
          count(a.allocations()),
          count(a.live()),
          bytes(a.requestedBytes()),
          bytes(a.allocatedBytes()),
          bytes(a.wasteBytes()),
          bytes(a.committedBytes()),
          bytes(a.peakCommittedBytes()),
          percent(a.fragmentation()));
    }
    table.print(out, INDENT);
    for (AllocatorSnapshot a : allocators) {
      out.printf("  %-9s %s%n", a.name() + ":", a.use());
    }
  }

  static void printPool(PrintWriter out, String name, PoolStats pool) {
    out.printf(
        Locale.ROOT,
        "Object pool '%s': %s acquired, %s created, hit rate %s, %s dropped (pool full),"
            + " %s idle%n",
        name,
        count(pool.acquired()),
        count(pool.created()),
        percent(pool.hitRate()),
        count(pool.dropped()),
        count(pool.idleShared()));
  }

  /**
   * @param liveBytes charged at the end of the last round
   * @param trimmedBytes charged after everything was freed and trimmed
   */
  static void printBudget(
      PrintWriter out,
      String name,
      long liveBytes,
      long trimmedBytes,
      long peakBytes,
      long limitBytes) {
    out.printf(
        "Memory budget '%s': %s used with the data live, %s after freeing and trimming;"
            + " peak %s of a %s limit%n",
        name,
        bytes(liveBytes),
        bytes(trimmedBytes),
        bytes(peakBytes),
        bytes(limitBytes));
  }

  /**
   * @param withAllocatorData with the allocators' data live
   * @param withHeapData with the heap's cohort live (the allocators closed)
   * @param atEnd after closing the allocators and the heap
   */
  static void printResidentSet(
      PrintWriter out, long atStart, long withAllocatorData, long withHeapData, long atEnd) {
    out.printf(
        "Process RSS: %s at start, %s with the allocators' data live, %s with the heap's,"
            + " %s after closing them%n",
        rss(atStart),
        rss(withAllocatorData),
        rss(withHeapData),
        rss(atEnd));
  }

  private static String rss(long bytes) {
    return bytes < 0 ? "n/a" : bytes(bytes);
  }

  /** The verdict of closing everything: "no leaks", or each leak. */
  static void printLeaks(PrintWriter out, int allocators, List<String> leaks) {
    if (leaks.isEmpty()) {
      out.println("Closed " + allocators + " allocators, the pool and the heap: no leaks");
      return;
    }
    out.println("LEAKS found when closing:");
    leaks.forEach(leak -> out.println(INDENT + leak));
  }
}
