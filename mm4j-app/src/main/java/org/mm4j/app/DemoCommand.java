package org.mm4j.app;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.mm4j.os.ProcessMemory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code mm4j demo}: the main job, a healthcare workload run through mm4j's allocators and its
 * managed heap.
 *
 * <p>First it admits patients, runs rounds of {@link HealthcareWorkload} on the calling thread and
 * two worker {@link Lanes}, reports what the allocators measured with the data still live, then
 * frees everything and closes every allocator (a leak would make a close throw). Then {@link
 * HeapDemo} churns a cohort of patients, visits and lab results in a managed heap for as many
 * rounds, reports its statistics beside the same cohort as Java objects, and closes the heap. Last
 * it says whether anything leaked.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Run the healthcare workload through mm4j's allocators and heap; print statistics",
    sortOptions = false)
final class DemoCommand implements Callable<Integer> {
  /**
   * About 5 seconds of allocator rounds and 5 of heap rounds on two cores with the default patients
   * and cohort, the first round warming up the JIT.
   */
  static final int DEFAULT_ROUNDS = 6;

  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true)
  RunLengthOptions runLength;

  @Option(
      names = "--patients",
      defaultValue = "200000",
      paramLabel = "N",
      description =
          "Patients in care (default: ${DEFAULT-VALUE}); each wave of shapes makes as many polygons.")
  int patients;

  @Option(
      names = "--cohort",
      defaultValue = "100000",
      paramLabel = "N",
      description = "Patients in the managed heap's cohort (default: ${DEFAULT-VALUE}).")
  int cohort;

  @Option(
      names = "--genome-mb",
      defaultValue = "256",
      paramLabel = "MB",
      description =
          "Mebibases of the synthetic genome processed in a scope, one byte each (default: ${DEFAULT-VALUE}).")
  int genomeMb;

  @Option(
      names = "--seed",
      defaultValue = "20251122",
      description = "Seed of the random workload (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--no-progress",
      description = "Print no progress bar or progress lines.")
  boolean noProgress;

  /** {@code --rounds} or {@code --seconds}, not both. */
  static final class RunLengthOptions {
    @Option(
        names = "--rounds",
        paramLabel = "N",
        description = "Rounds to run, in each part (default: " + DEFAULT_ROUNDS + ").")
    Integer rounds;

    @Option(
        names = "--seconds",
        paramLabel = "S",
        description =
            "Run rounds until S seconds have passed, in each part, instead of a number of rounds.")
    Double seconds;
  }

  @Override
  public Integer call() {
    RunLength length = runLength();
    if (patients < 1) {
      throw new ParameterException(spec.commandLine(), "--patients must be at least 1");
    }
    if (cohort < 1) {
      throw new ParameterException(spec.commandLine(), "--cohort must be at least 1");
    }
    if (genomeMb < 1 || genomeMb > 4096) {
      throw new ParameterException(spec.commandLine(), "--genome-mb must be in [1, 4096]");
    }
    PrintWriter out = spec.commandLine().getOut();
    long rssAtStart = ProcessMemory.residentSetBytes();
    out.printf(
        Locale.ROOT,
        "mm4j demo: %s patients, %s, seed %d; threads: main and 2 workers%n",
        ByteUnits.count(patients), length, seed);
    out.flush();

    DemoMemory memory = new DemoMemory(patients);
    long rssWithData;
    try {
      rssWithData = run(memory, length, out);
    } catch (RuntimeException | Error e) {
      // A failed run leaves data behind: the failure is the news, not the leaks it causes.
      try {
        memory.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    List<String> leaks = new ArrayList<>(memory.close());
    out.println();
    HeapDemo.Outcome heap = new HeapDemo(cohort, length, seed, (long) genomeMb * GenomeScope.WINDOW_BASES, !noProgress).run(out);
    leaks.addAll(heap.leaks());
    DemoReport.printResidentSet(
        out,
        rssAtStart,
        rssWithData,
        heap.residentBytesWithData(),
        ProcessMemory.residentSetBytes());
    DemoReport.printLeaks(out, memory.parts().size(), leaks);
    out.flush();
    return leaks.isEmpty() ? 0 : 1;
  }

  /**
   * Runs the workload, prints its results and the allocators' figures, and frees everything.
   * Returns the process's resident set size while the data was live.
   */
  private long run(DemoMemory memory, RunLength length, PrintWriter out) {
    try (Lanes lanes = new Lanes()) {
      HealthcareWorkload workload = new HealthcareWorkload(memory, lanes, patients, seed);
      runRounds(workload, length, out);

      // The allocators' figures while the data is live; after the release below they read zero.
      List<AllocatorSnapshot> allocators =
          memory.parts().stream().map(AllocatorSnapshot::of).toList();
      long budgetWithData = memory.budget.usedBytes();
      long rssWithData = ProcessMemory.residentSetBytes();

      workload.releaseAll();
      memory.trim(lanes);

      DemoReport.printResults(
          out, workload.shapeSummary(), workload.wardSummary(), workload.imagingSummary());
      out.println();
      DemoReport.printAllocators(out, allocators);
      out.println();
      DemoReport.printPool(out, DemoMemory.POOL_NAME, memory.polygons.stats());
      DemoReport.printBudget(
          out,
          memory.budget.name(),
          budgetWithData,
          memory.budget.usedBytes(),
          memory.budget.peakBytes(),
          memory.budget.limitBytes());
      return rssWithData;
    }
  }

  /** Admits the cohort and runs the rounds, showing the progress step by step. */
  private void runRounds(HealthcareWorkload workload, RunLength length, PrintWriter out) {
    Progress progress = Progress.to(out, !noProgress);
    long start = System.nanoTime();
    progress.update(0, "admitting " + ByteUnits.count(patients) + " patients");
    workload.admitCohort();
    Rounds.run(workload.round(), length, progress, start, "Ran", out);
  }

  private RunLength runLength() {
    if (runLength != null && runLength.seconds != null) {
      if (!(runLength.seconds > 0)) {
        throw new ParameterException(spec.commandLine(), "--seconds must be positive");
      }
      return new RunLength.Seconds(runLength.seconds);
    }
    int rounds = runLength != null && runLength.rounds != null ? runLength.rounds : DEFAULT_ROUNDS;
    if (rounds < 1) {
      throw new ParameterException(spec.commandLine(), "--rounds must be at least 1");
    }
    return new RunLength.Rounds(rounds);
  }
}
