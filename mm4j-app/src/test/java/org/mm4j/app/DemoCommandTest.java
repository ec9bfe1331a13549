package org.mm4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the demo small, as a user would, and checks its report. */
class DemoCommandTest {
  private static final List<String> ALLOCATORS = List.of("shapes", "patients", "scratch", "images");

  /** A cohort small enough for tests, large enough that every part has objects. */
  private static final String COHORT = "300";

  @Test
  void smallRunReportsEveryAllocatorAndClosesWithoutLeaks() {
    CommandRun run =
        CommandRun.of(
            "demo", "--genome-mb", "2", "--patients", "2000", "--cohort", COHORT, "--rounds", "2", "--no-progress");
    assertEquals(0, run.exitCode(), run.transcript());
    String report = run.out();
    for (String allocator : ALLOCATORS) {
      // A table row: the name, the allocation and live counts, ..., the fragmentation.
      String row = "\\s+" + allocator + "\\s+[\\d,]+\\s+[\\d,]+\\s.*\\d %";
      assertTrue(report.lines().anyMatch(line -> line.matches(row)), allocator + run.transcript());
    }
    assertTrue(report.contains("Ran 2 rounds"), run.transcript());
    assertTrue(report.contains("ward     2,000 in care"), run.transcript());
    assertTrue(report.contains("Object pool 'polygons': "), run.transcript());
    assertTrue(report.contains("Memory budget 'demo': "), run.transcript());
    assertTrue(report.contains("Process RSS: "), run.transcript());
    assertTrue(report.contains("Genome in a scope: 2,097,152 bases"), run.transcript());
    assertTrue(report.contains("released in "), run.transcript());
    assertTrue(
        report.contains("Closed 4 allocators, the pool and the heap: no leaks"), run.transcript());
    assertFalse(report.contains("progress"), run.transcript());
    assertEquals("", run.err());
  }

  @Test
  void aSeedGivesTheSameResultsHoweverTheThreadsInterleave() {
    String[] args = {
      "demo", "--genome-mb", "2", "--patients", "1000", "--cohort", COHORT, "--rounds", "2", "--seed", "7",
      "--no-progress"
    };
    CommandRun first = CommandRun.of(args);
    CommandRun second = CommandRun.of(args);
    assertEquals(0, first.exitCode(), first.transcript());
    assertEquals(0, second.exitCode(), second.transcript());
    assertEquals(section(first, "Results"), section(second, "Results"));
    assertTrue(section(first, "Results").contains("ward     1,000 in care"), first.transcript());
    assertEquals(section(first, "Heap results"), section(second, "Heap results"));
    assertTrue(
        section(first, "Heap results")
            .contains("cohort   300 in care (330 admitted, 30 discharged)"),
        first.transcript());
  }

  @Test
  void theHeapPartReportsItsCohortCollectionsAndBytesPerObject() {
    CommandRun run =
        CommandRun.of(
            "demo", "--genome-mb", "2", "--patients", "500", "--cohort", "2000", "--rounds", "3", "--no-progress");
    assertEquals(0, run.exitCode(), run.transcript());
    String report = run.out();
    assertTrue(
        report.contains("Managed heap: 2,000 patients with their visits and lab results, 3 rounds"),
        run.transcript());
    assertTrue(report.contains("Churned 3 rounds in "), run.transcript());
    assertTrue(section(run, "Heap results").contains("type 2 diabetes"), run.transcript());
    String heap = section(run, "Heap 'cohort' after a final full collection");
    assertTrue(heap.matches("(?s).*live objects  [\\d,]+: [\\d,]+ young, [\\d,]+ old;.*"), heap);
    String collections = section(run, "Collections");
    for (String kind : List.of("minor", "major")) {
      // kind, collections, pauses, mean, max and total pause, objects and bytes freed
      String row = "\\s+" + kind + "(\\s+[\\d,]+){2}(\\s+[\\d.]+ ms){3}\\s+[\\d,]+\\s+[\\d.]+ \\S*B";
      assertTrue(collections.lines().anyMatch(line -> line.matches(row)), collections);
    }
    String bytes = section(run, "Bytes per object");
    assertTrue(bytes.contains("compact object headers"), bytes);
    for (Footprint.Part part : Footprint.Part.values()) {
      assertTrue(bytes.contains("  " + part.label() + " "), part + "\n" + bytes);
    }
    // mm4j's patient: 48 bytes and its 16-byte handle-table entry
    assertTrue(bytes.lines().anyMatch(line -> line.matches("  Patient +2,000 +64\\.0 .*")), bytes);
    assertTrue(bytes.contains("per patient, all"), bytes);
    assertTrue(report.contains("with the heap's"), run.transcript());
    assertTrue(report.contains("the heap: no leaks"), run.transcript());
  }

  /** The report's section that starts with {@code title}: up to the blank line after it. */
  private static String section(CommandRun run, String title) {
    int start = run.out().indexOf("\n" + title) + 1;
    assertTrue(start > 0, title + " is missing:\n" + run.transcript());
    return run.out().substring(start, run.out().indexOf("\n\n", start));
  }

  @Test
  void progressIsPlainLinesWhenTheOutputIsNotATerminal() {
    CommandRun run =
        CommandRun.of("demo", "--genome-mb", "2", "--patients", "500", "--cohort", COHORT, "--rounds", "1");
    assertEquals(0, run.exitCode(), run.transcript());
    List<String> progress = run.out().lines().filter(line -> line.startsWith("progress")).toList();
    assertFalse(run.out().contains("\r"), run.transcript());
    // One set of lines for each part: the allocators', then the heap's.
    assertTrue(progress.size() <= 22, run.transcript());
    assertEquals(
        2,
        progress.stream().filter(line -> line.equals("progress 100 %  done")).count(),
        run.transcript());
    assertEquals("progress 100 %  done", progress.getLast(), run.transcript());
  }

  @Test
  void aSecondsLimitRunsAtLeastOneRound() {
    CommandRun run =
        CommandRun.of(
            "demo", "--genome-mb", "2", "--patients", "500", "--cohort", COHORT, "--seconds", "0.001", "--no-progress");
    assertEquals(0, run.exitCode(), run.transcript());
    assertTrue(run.out().contains("Ran 1 round in"), run.transcript());
    assertTrue(run.out().contains("Churned 1 round in"), run.transcript());
  }

  @Test
  void roundsAndSecondsAreExclusive() {
    CommandRun run = CommandRun.of("demo", "--rounds", "2", "--seconds", "3");
    assertEquals(2, run.exitCode(), run.transcript());
    assertTrue(run.err().contains("mutually exclusive"), run.transcript());
  }

  @Test
  void patientsMustBePositive() {
    CommandRun run = CommandRun.of("demo", "--genome-mb", "2", "--patients", "0");
    assertEquals(2, run.exitCode(), run.transcript());
    assertTrue(run.err().contains("--patients must be at least 1"), run.transcript());
  }

  @Test
  void theCohortMustBePositive() {
    CommandRun run = CommandRun.of("demo", "--cohort", "0");
    assertEquals(2, run.exitCode(), run.transcript());
    assertTrue(run.err().contains("--cohort must be at least 1"), run.transcript());
  }

  @Test
  void theGenomeMustFitTheDemo() {
    CommandRun run = CommandRun.of("demo", "--genome-mb", "0");
    assertEquals(2, run.exitCode(), run.transcript());
    assertTrue(run.err().contains("--genome-mb must be in [1, 4096]"), run.transcript());
  }
}
