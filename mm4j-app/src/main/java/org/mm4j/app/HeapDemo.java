package org.mm4j.app;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.mm4j.heap.GarbageCollector;
import org.mm4j.heap.Heap;
import org.mm4j.heap.HeapStats;
import org.mm4j.os.MemoryBudget;
import org.mm4j.os.ProcessMemory;

/**
 * The demo's heap part: a {@link HeapCohort} in a managed heap of its own, churned for the demo's
 * rounds on the calling thread, then measured beside the same cohort as ordinary Java objects.
 *
 * <p>A round discharges {@link #TURNOVER_SHARE} of the patients while as many are admitted, adds a
 * visit to {@link #FOLLOW_UP_SHARE} of them, and reads the whole cohort for its HbA1c statistics.
 * After the rounds a full collection leaves only reachable objects, whose statistics are reported;
 * then the heap is closed, and its budget must be back to zero.
 */
final class HeapDemo {
  /** The share of the patients discharged (and replaced) each round. */
  static final double TURNOVER_SHARE = 0.05;

  /** The share of the patients who get a new visit each round. */
  static final double FOLLOW_UP_SHARE = 0.25;

  /**
   * The heap's budget: 1 GiB for each 100,000 patients or part of them, about six times what the
   * cohort needs, so it is a hard stop for a runaway, not a constraint.
   */
  private static final long BUDGET_BYTES_PER_STEP = 1L << 30;

  private static final int PATIENTS_PER_BUDGET_STEP = 100_000;

  static final String HEAP_NAME = "cohort";

  /**
   * What the heap part leaves for the demo's last lines.
   *
   * @param residentBytesWithData the process's resident set with the cohort live, before the Java
   *     copy was made
   * @param leaks what closing the heap left charged to its budget: empty, or one message
   */
  record Outcome(long residentBytesWithData, List<String> leaks) {}

  private final int patients;
  private final RunLength length;
  private final long seed;
  private final long genomeBases;
  private final boolean showProgress;
  private CohortSummary lastSummary;

  HeapDemo(int patients, RunLength length, long seed, long genomeBases, boolean showProgress) {
    this.patients = patients;
    this.length = length;
    this.seed = seed;
    this.genomeBases = genomeBases;
    this.showProgress = showProgress;
  }

  Outcome run(PrintWriter out) {
    out.printf(
        Locale.ROOT,
        "Managed heap: %s patients with their visits and lab results, %s, on the main thread%n",
        ByteUnits.count(patients),
        length);
    out.flush();
    long steps = (patients + PATIENTS_PER_BUDGET_STEP - 1L) / PATIENTS_PER_BUDGET_STEP;
    MemoryBudget budget = MemoryBudget.of(HEAP_NAME, steps * BUDGET_BYTES_PER_STEP);
    PauseLog pauses = new PauseLog();
    long residentBytes;
    try (Heap heap = Heap.builder().name(HEAP_NAME).budget(budget).build()) {
      heap.gc().addCallback(pauses);
      Progress progress = Progress.to(out, showProgress);
      long start = System.nanoTime();
      progress.update(0, "admitting " + ByteUnits.count(patients) + " patients");
      try (HeapCohort cohort = HeapCohort.admit(heap, patients, new Random(seed))) {
        churn(cohort, progress, start, out);
        heap.gc().collect(GarbageCollector.OLD); // so that only reachable objects are counted
        HeapStats stats = heap.stats();
        residentBytes = ProcessMemory.residentSetBytes();
        HeapReport.printResults(out, lastSummary);
        out.println();
        HeapReport.printHeap(out, heap.name(), stats, budget.peakBytes());
        HeapReport.printCollections(
            out,
            pauses,
            heap.gc().stats(GarbageCollector.YOUNG),
            heap.gc().stats(GarbageCollector.OLD));
        out.println();
        out.flush();
        Footprint java = cohort.toJava().measureByDismantling();
        HeapReport.printFootprint(
            out, JvmFacts.current(), HeapCohort.footprint(stats), java, cohort.size());
      }
      out.println();
      out.printf(
          Locale.ROOT,
          "Genome in a scope: %s bases of synthetic sequence, processed in a scope of the heap%n",
          ByteUnits.count(genomeBases));
      out.flush();
      HeapReport.printGenome(out, GenomeScope.run(heap, budget, genomeBases, seed));
    }
    out.println();
    List<String> leaks = new ArrayList<>();
    if (budget.usedBytes() != 0) {
      leaks.add(
          "heap '"
              + HEAP_NAME
              + "': "
              + ByteUnits.bytes(budget.usedBytes())
              + " still charged to its budget after closing");
    }
    return new Outcome(residentBytes, leaks);
  }

  /**
   * Runs the rounds on the admitted cohort, showing the progress step by step; {@code start} is
   * when the admission began. The last round's summary is kept in {@link #lastSummary}.
   */
  private void churn(HeapCohort cohort, Progress progress, long start, PrintWriter out) {
    List<Rounds.Step> steps =
        List.of(
            new Rounds.Step("discharges and admissions", () -> cohort.turnOver(TURNOVER_SHARE)),
            new Rounds.Step("follow-up visits", () -> cohort.followUp(FOLLOW_UP_SHARE)),
            new Rounds.Step("HbA1c statistics", () -> lastSummary = cohort.summarize()));
    Rounds.run(steps, length, progress, start, "Churned", out);
  }
}
