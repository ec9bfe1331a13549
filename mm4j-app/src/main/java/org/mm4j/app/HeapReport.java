package org.mm4j.app;

import static org.mm4j.app.ByteUnits.bytes;
import static org.mm4j.app.ByteUnits.count;
import static org.mm4j.app.ByteUnits.percent;

import java.io.PrintWriter;
import java.util.Locale;
import org.mm4j.app.TextTable.Align;
import org.mm4j.heap.CollectionStats;
import org.mm4j.heap.GarbageCollector;
import org.mm4j.heap.HeapStats;

/** The sections of the demo's heap part, and the footprint table the benchmarks print too. */
public final class HeapReport {
  private static final String INDENT = "  ";

  private HeapReport() {}

  /** What the last round's reading of the cohort found. */
  static void printResults(PrintWriter out, CohortSummary s) {
    out.println("Heap results");
    out.printf(
        Locale.ROOT,
        "  cohort   %s in care (%s admitted, %s discharged); %s visits (%s added),"
            + " %s lab results, %s flagged high or low%n",
        count(s.patients()),
        count(s.admitted()),
        count(s.discharged()),
        count(s.visits()),
        count(s.visitsAdded()),
        count(s.labResults()),
        percent(s.flaggedShare()));
    out.printf(
        Locale.ROOT,
        "           type 2 diabetes %s: latest HbA1c %.2f %% (sd %.2f) in the %s who have one;"
            + " %.2f %% (sd %.2f) in the others%n",
        percent(s.diabeticShare()),
        s.diabeticHba1c().mean(),
        s.diabeticHba1c().standardDeviation(),
        count(s.diabeticWithHba1c()),
        s.otherHba1c().mean(),
        s.otherHba1c().standardDeviation());
  }

  /** The heap's contents after the final full collection. */
  static void printHeap(PrintWriter out, String name, HeapStats stats, long budgetPeakBytes) {
    out.printf("Heap '%s' after a final full collection%n", name);
    out.printf(
        "  live objects  %s: %s young, %s old; %s in objects, %s of handle table%n",
        count(stats.liveObjects()),
        count(stats.youngObjects()),
        count(stats.oldObjects()),
        bytes(stats.liveBytes()),
        bytes(stats.handleTableBytes()));
    out.printf(
        "  committed     %s (nursery, old space and handle table); budget peak %s%n",
        bytes(stats.committedBytes()), bytes(budgetPeakBytes));
  }

  /**
   * One row per kind of collection. Pauses come from the collector's events ({@link PauseLog});
   * what was freed from {@link CollectionStats}, whose young counters hold the minor collections'
   * frees and whose old counters the major ones'.
   */
  static void printCollections(
      PrintWriter out, PauseLog pauses, CollectionStats young, CollectionStats old) {
    out.println(
        "Collections and their pauses (a major: an old collection marking concurrently, or a full"
            + " one, the final one included)");
    TextTable table =
        new TextTable()
            .column("kind", Align.LEFT)
            .column("count", Align.RIGHT)
            .column("pauses", Align.RIGHT)
            .column("mean pause", Align.RIGHT)
            .column("max pause", Align.RIGHT)
            .column("total pause", Align.RIGHT)
            .column("objects freed", Align.RIGHT)
            .column("bytes freed", Align.RIGHT);
    collectionRow(table, "minor", pauses, GarbageCollector.YOUNG, young);
    collectionRow(table, "major", pauses, GarbageCollector.OLD, old);
    table.print(out, INDENT);
  }

  private static void collectionRow(
      TextTable table, String kind, PauseLog pauses, int generation, CollectionStats freed) {
    table.row(
        kind,
        count(pauses.count(generation)),
        count(pauses.pauses(generation)),
        millis(pauses.meanNanos(generation)),
        millis((double) pauses.maxNanos(generation)),
        millis((double) pauses.totalNanos(generation)),
        count(freed.collectedObjects()),
        bytes(freed.collectedBytes()));
  }

  /**
   * Bytes per object of each part of the cohort in mm4j's heap and as Java objects, with the whole
   * cohort per patient last.
   */
  public static void printFootprint(
      PrintWriter out, JvmFacts jvm, Footprint mm4j, Footprint java, int patients) {
    out.println("Bytes per object, mm4j beside the same cohort as plain Java objects");
    out.println(
        "  mm4j: heap.stats() after a full collection, each object with its 16-byte handle-table"
            + " entry");
    out.println(
        "  Java: measured, not estimated: the used Java heap (MemoryMXBean) after System.gc(),"
            + " read");
    out.println("        before and after dropping each kind of object from the whole cohort");
    out.println("        (" + jvm.describe() + ")");
    TextTable table =
        new TextTable()
            .column("object", Align.LEFT)
            .column("count", Align.RIGHT)
            .column("mm4j", Align.RIGHT)
            .column("Java", Align.RIGHT)
            .column("mm4j/Java", Align.RIGHT);
    for (Footprint.Part part : Footprint.Part.values()) {
      Footprint.Usage m = mm4j.parts().get(part);
      Footprint.Usage j = java.parts().get(part);
      long objects = m != null ? m.objects() : j != null ? j.objects() : 0;
      table.row(
          part.label(),
          count(objects),
          m == null ? "-" : perObject(m.bytesPerObject()),
          j == null ? "-" : perObject(j.bytesPerObject()),
          m == null || j == null ? "-" : ratio(m.bytesPerObject(), j.bytesPerObject()));
    }
    double mm4jPerPatient = (double) mm4j.totalBytes() / patients;
    double javaPerPatient = (double) java.totalBytes() / patients;
    table.row(
        "per patient, all",
        count(patients),
        perObject(mm4jPerPatient),
        perObject(javaPerPatient),
        ratio(mm4jPerPatient, javaPerPatient));
    table.print(out, INDENT);
    out.printf(
        "  the whole cohort: %s in mm4j's heap (%s objects), %s on the Java heap (%s objects)%n",
        bytes(mm4j.totalBytes()),
        count(mm4j.totalObjects()),
        bytes(java.totalBytes()),
        count(java.totalObjects()));
  }

  private static String perObject(double bytes) {
    return String.format(Locale.ROOT, bytes < 1000 ? "%.1f" : "%,.0f", bytes);
  }

  private static String ratio(double a, double b) {
    return b <= 0 ? "-" : String.format(Locale.ROOT, "%.2f", a / b);
  }

  /** {@code 0.512 ms}, {@code 2.13 ms}, {@code 120 ms}: three significant digits. */
  private static String millis(double nanos) {
    double ms = nanos / 1e6;
    return String.format(
        Locale.ROOT,
        ms < 1 ? "%.3f ms" : ms < 10 ? "%.2f ms" : ms < 100 ? "%.1f ms" : "%.0f ms",
        ms);
  }

  /** The genome step: what the scan found, the promoted windows, memory around the scope. */
  static void printGenome(PrintWriter out, GenomeScope.Result r) {
    GenomeScope.Analysis a = r.analysis();
    out.printf(
        Locale.ROOT,
        "  sequence   GC %s; longest run %d x %c; TATA boxes %s; commonest 8-mer %s (%s times)%n",
        percent(a.gcShare()),
        a.longestRun(),
        a.longestRunBase(),
        count(a.tataBoxes()),
        a.commonestKmer(),
        count(a.commonestKmerCount()));
    out.printf(
        Locale.ROOT,
        "  scope      %s in a scratch buffer, an 8-mer table and %s window objects; released in %.2f ms%n",
        bytes(r.scopeBytes()),
        count(r.scopeObjects()),
        r.closeNanos() / 1e6);
    StringBuilder promoted = new StringBuilder();
    for (GenomeScope.Window w : r.promoted()) {
      promoted.append(promoted.isEmpty() ? "" : ", ")
          .append(String.format(Locale.ROOT, "%d Mi (GC %s)", w.start() >> 20, percent(w.gcShare())));
    }
    out.println("  promoted   the windows richest in GC, read after the close: " + promoted);
    TextTable table =
        new TextTable()
            .column("memory", Align.LEFT)
            .column("resident set", Align.RIGHT)
            .column("heap budget used", Align.RIGHT);
    table.row("before the scope", bytes(r.before().residentBytes()), bytes(r.before().budgetBytes()));
    table.row("inside it", bytes(r.inside().residentBytes()), bytes(r.inside().budgetBytes()));
    table.row("after its close", bytes(r.after().residentBytes()), bytes(r.after().budgetBytes()));
    table.print(out, INDENT);
    out.flush();
  }
}
