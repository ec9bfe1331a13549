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
    assertTrue(
        run.out()
            .contains(
                "demo  Run the healthcare workload through mm4j's allocators and print"
                    + " statistics"),
        run.out());
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
}
