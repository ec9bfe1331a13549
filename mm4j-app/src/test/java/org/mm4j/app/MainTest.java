package org.mm4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void helpListsEverySubcommandWithItsDescription() {
    assertEquals(0, run("--help"));
    assertTrue(out.toString().contains("Usage: mm4j"), out.toString());
    assertTrue(
        out.toString()
            .contains(
                "demo  Run the healthcare workload through mm4j's allocators and print"
                    + " statistics"),
        out.toString());
  }

  @Test
  void versionNamesMm4jAndTheJava() {
    assertEquals(0, run("--version"));
    assertTrue(out.toString().startsWith("mm4j "), out.toString());
    assertTrue(out.toString().contains("Java " + Runtime.version().feature()), out.toString());
  }

  @Test
  void noCommandIsAUsageError() {
    assertEquals(2, run());
    assertTrue(err.toString().contains("Missing a command"), err.toString());
    assertTrue(err.toString().contains("Usage: mm4j"), err.toString());
  }

  @Test
  void unknownCommandIsAUsageError() {
    assertEquals(2, run("no-such-command"));
    assertTrue(err.toString().contains("no-such-command"), err.toString());
  }
}
