package org.mm4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the demo small, as a user would, and checks its report. */
class DemoCommandTest {
  private static final List<String> ALLOCATORS = List.of("shapes", "patients", "scratch", "images");

  @Test
  void smallRunReportsEveryAllocatorAndClosesWithoutLeaks() {
    CommandRun run = CommandRun.of("demo", "--patients", "2000", "--rounds", "2", "--no-progress");
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
    assertTrue(report.contains(": no leaks"), run.transcript());
    assertFalse(report.contains("progress"), run.transcript());
    assertEquals("", run.err());
  }

  @Test
  void aSeedGivesTheSameResultsHoweverTheThreadsInterleave() {
    String[] args = {"demo", "--patients", "1000", "--rounds", "2", "--seed", "7", "--no-progress"};
    CommandRun first = CommandRun.of(args);
    CommandRun second = CommandRun.of(args);
    assertEquals(0, first.exitCode(), first.transcript());
    assertEquals(0, second.exitCode(), second.transcript());
    assertEquals(results(first), results(second));
    assertTrue(results(first).contains("ward     1,000 in care"), first.transcript());
  }

  /** The report's Results section: from its title to the blank line after it. */
  private static String results(CommandRun run) {
    int start = run.out().indexOf("Results");
    return run.out().substring(start, run.out().indexOf("\n\n", start));
  }

  @Test
  void progressIsPlainLinesWhenTheOutputIsNotATerminal() {
    CommandRun run = CommandRun.of("demo", "--patients", "500", "--rounds", "1");
    assertEquals(0, run.exitCode(), run.transcript());
    List<String> progress =
        run.out().lines().filter(line -> line.startsWith("progress")).toList();
    assertFalse(run.out().contains("\r"), run.transcript());
    assertTrue(progress.size() <= 11, run.transcript());
    assertEquals("progress 100 %  done", progress.getLast(), run.transcript());
  }

  @Test
  void aSecondsLimitRunsAtLeastOneRound() {
    CommandRun run =
        CommandRun.of("demo", "--patients", "500", "--seconds", "0.001", "--no-progress");
    assertEquals(0, run.exitCode(), run.transcript());
    assertTrue(run.out().contains("Ran 1 round in"), run.transcript());
  }

  @Test
  void roundsAndSecondsAreExclusive() {
    CommandRun run = CommandRun.of("demo", "--rounds", "2", "--seconds", "3");
    assertEquals(2, run.exitCode(), run.transcript());
    assertTrue(run.err().contains("mutually exclusive"), run.transcript());
  }

  @Test
  void patientsMustBePositive() {
    CommandRun run = CommandRun.of("demo", "--patients", "0");
    assertEquals(2, run.exitCode(), run.transcript());
    assertTrue(run.err().contains("--patients must be at least 1"), run.transcript());
  }
}
