package org.mm4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MainTest {

  @Test
  void helpListsEverySubcommandWithItsDescription() {
    CommandRun run = CommandRun.of("--help");
    assertEquals(0, run.exitCode());
    assertTrue(run.out().contains("Usage: mm4j"), run.out());
    // Descriptions start in one column, after the longest command name.
    assertTrue(
        run.out()
            .matches(
                "(?s).*demo +Run the healthcare workload through mm4j's allocators and heap;"
                    + " print statistics.*"),
        run.out());
    assertTrue(run.out().contains("bench  Benchmark mm4j beside its peers"), run.out());
  }

  @Test
  void versionNamesMm4jAndTheJava() {
    CommandRun run = CommandRun.of("--version");
    assertEquals(0, run.exitCode());
    assertTrue(run.out().startsWith("mm4j "), run.out());
    assertTrue(run.out().contains("Java " + Runtime.version().feature()), run.out());
  }

  @Test
  void noCommandIsAUsageError() {
    CommandRun run = CommandRun.of();
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("Missing a command"), run.err());
    assertTrue(run.err().contains("Usage: mm4j"), run.err());
  }

  @Test
  void unknownCommandIsAUsageError() {
    CommandRun run = CommandRun.of("no-such-command");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("no-such-command"), run.err());
  }

  @Test
  void benchAllocHelpNamesItsOptions() {
    CommandRun run = CommandRun.of("bench", "alloc", "--help");
    assertEquals(0, run.exitCode(), run.transcript());
    for (String option : new String[] {"--quick", "--json=FILE", "--workloads", "--allocators"}) {
      assertTrue(run.out().contains(option), option + " in " + run.out());
    }
  }

  @Test
  void benchWithoutASuiteOrWithAnUnknownWorkloadIsAUsageError() {
    CommandRun bench = CommandRun.of("bench");
    assertEquals(2, bench.exitCode());
    assertTrue(bench.err().contains("Missing a suite"), bench.err());
    CommandRun unknown = CommandRun.of("bench", "alloc", "--workloads", "nonsense");
    assertEquals(2, unknown.exitCode());
    assertTrue(unknown.err().contains("unknown workload nonsense"), unknown.err());
  }
}
