package org.mm4j.app.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mm4j bench}: comparisons with peers, one subcommand per suite. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmark mm4j beside its peers and print the comparison",
        synopsisSubcommandLabel = "SUITE",
        subcommands = {AllocBenchCommand.class, GcBenchCommand.class})
public final class BenchCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing a suite (alloc, gc)");
    }
}
