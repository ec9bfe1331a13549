package org.mm4j.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code mm4j} command line: one subcommand per job. */
@Command(
    name = "mm4j",
    mixinStandardHelpOptions = true,
    versionProvider = Main.ManifestVersion.class,
    description = "Off-heap memory management for the JVM: demos, benchmarks and reports.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {DemoCommand.class, org.mm4j.app.bench.BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @Spec CommandSpec spec;

  /** With no subcommand: say so and show the usage (exit code 2). */
  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing a command");
  }

  /** Help lines up to this width, so that each command's description stays on one line. */
  static final int USAGE_WIDTH = 100;

  /** The command line that {@link #main} executes; tests run it with their own writers. */
  static CommandLine commandLine() {
    return new CommandLine(new Main()).setUsageHelpWidth(USAGE_WIDTH);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The version from the jar's manifest, written by the build. */
  static final class ManifestVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {
        "mm4j " + (version == null ? "(development build)" : version),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"
      };
    }
  }
}
