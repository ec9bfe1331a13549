package org.mm4j.app.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code mm4j bench alloc}: mm4j's allocators beside their peers in one run — the JMH suite of mm4j-bench
 * (mm4j, glibc/jemalloc/mimalloc/tcmalloc through FFM, the JDK's arenas, Netty, {@code new byte[]}) and the
 * C program (the native allocators called directly) — printed as one table of ns/op and ratios to mm4j.
 */
@Command(
        name = "alloc",
        mixinStandardHelpOptions = true,
        description = "Allocator workloads on mm4j and its peers, one table of ns/op and ratios to mm4j",
        footer = {"", "Progress goes to stderr, the report to stdout. Raw JMH logs and files: mm4j-bench/target/bench-alloc/.",
            "See docs/benchmarks/README.md for the workloads, the peers and how to read the table."})
public final class AllocBenchCommand implements Callable<Integer> {
    /** jemalloc's static TLS does not fit glibc's default surplus when the library is loaded late (dlopen). */
    static final String STATIC_TLS_TUNABLE = "glibc.rtld.optional_static_tls=16384";

    @Spec CommandSpec spec;

    @Option(names = "--quick", description = "Short run (within 3 minutes on 2 cores): fewer sizes, one short iteration")
    boolean quick;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the raw results as a JSON array to FILE")
    Path json;

    @Option(names = "--workloads", split = ",", paramLabel = "NAME",
            description = "Only these workloads: pair, batch, pareto, larson, xmalloc, cache-scratch, churn")
    List<String> workloadNames;

    @Option(names = "--allocators", split = ",", paramLabel = "NAME",
            description = "Only these allocators (mm4j is always kept, for the ratios)")
    List<String> allocatorNames;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Workload> workloads = workloads();
        Set<String> wanted = allocators();
        BenchPlan plan = quick ? BenchPlan.quick(workloads) : BenchPlan.full(workloads);

        BenchTree tree = BenchTree.locate();
        tree.ensureNativePeers(err);
        tree.ensureBenchJar(err);
        Properties nativePeers = tree.nativePeers();

        String tunables = System.getenv().getOrDefault("GLIBC_TUNABLES", "");
        String benchTunables = tunables.isEmpty() ? STATIC_TLS_TUNABLE : tunables + ":" + STATIC_TLS_TUNABLE;
        Map<String, String> facts = MachineFacts.gather(benchTunables);

        // Which allocators run, and why the others do not.
        Map<String, String> skipped = new LinkedHashMap<>();
        List<Allocator> running = new ArrayList<>();
        for (Allocator a : Allocator.ALL) {
            if (!wanted.contains(a.name())) {
                continue;
            }
            String key = a.inC() ? a.name() : a.nativeLibrary();
            String missing = key == null ? null : nativePeers.getProperty(key + ".missing",
                    nativePeers.getProperty(key) == null ? "not set up (see mm4j-bench/setup.sh)" : null);
            if (a.inC() && missing == null && nativePeers.getProperty(a.name()) == null) {
                missing = nativePeers.getProperty("c.missing", "the C program is not built");
            }
            if (missing != null) {
                skipped.put(a.name(), missing);
            } else {
                running.add(a);
            }
        }
        for (Allocator a : running) {
            List<String> refused = new ArrayList<>();
            String reason = null;
            for (BenchPlan.Case c : plan.cases()) {
                String why = a.refusal(c.workload(), c.threads());
                if (why != null && !refused.contains(c.workload().id() + label(c))) {
                    refused.add(c.workload().id() + label(c));
                    reason = why;
                }
            }
            if (!refused.isEmpty()) {
                skipped.put(a.name() + " in " + String.join(", ", refused), reason);
            }
        }

        Path directory = tree.runDirectory();
        Files.createDirectories(directory);
        Files.deleteIfExists(directory.resolve("memory.jsonl"));
        List<String> jvmArguments = new ArrayList<>();
        jvmArguments.add("-Dmm4j.bench.report=" + directory.resolve("memory.jsonl"));
        for (String library : List.of("jemalloc", "mimalloc", "tcmalloc")) {
            if (nativePeers.getProperty(library) != null) {
                jvmArguments.add("-Dmm4j.bench.lib." + library + "=" + nativePeers.getProperty(library));
            }
        }
        List<BenchPlan.JmhRun> runs = plan.jmhRuns(running::contains);
        int forks = runs.stream().mapToInt(r -> r.forks(plan)).sum();
        List<Allocator> cPrograms = running.stream().filter(Allocator::inC).toList();
        err.printf("bench: %s run: %d JMH forks in %d JMH runs, then the C program for %d allocators%n",
                quick ? "quick" : "full", forks, runs.size(), cPrograms.size());
        err.flush();

        Map<String, String> jmhEnvironment = Map.of("GLIBC_TUNABLES", benchTunables);
        JmhRunner runner = new JmhRunner(tree.benchJar(), directory, jmhEnvironment, jvmArguments,
                new JmhRunner.Progress(err, forks));
        List<ResultRow> rows = new ArrayList<>();
        Map<String, String> failures = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            JmhRunner.Outcome outcome = runner.run(plan, runs.get(i), i + 1);
            rows.addAll(outcome.rows());
            failures.putAll(outcome.failures());
        }
        Path memory = directory.resolve("memory.jsonl");
        if (Files.exists(memory)) {
            rows = JmhResults.attachMemory(rows,
                    JmhResults.parseMemoryLines(Files.readString(memory, StandardCharsets.UTF_8)));
        }
        Map<String, String> cFacts = new LinkedHashMap<>();
        FileLock lock = cPrograms.isEmpty() ? null : runner.lockMachine();
        if (!cPrograms.isEmpty() && lock == null) {
            err.println("bench: could not take /tmp/jmh.lock; the C program runs beside another benchmark");
        }
        for (Allocator a : cPrograms) {
            err.printf("bench: C program, %s%n", a.name());
            err.flush();
            String output = runC(Path.of(nativePeers.getProperty(a.name())), plan.cArguments(),
                    directory.resolve(a.name() + ".txt"));
            List<ResultRow> cRows = CProgramOutput.parse(output);
            if (cRows.isEmpty()) {
                failures.put(a.name(), "no results; see " + directory.resolve(a.name() + ".txt"));
            }
            rows.addAll(cRows);
            String from = CProgramOutput.info(output).get("malloc_from");
            if (from != null) {
                cFacts.put(a.name(), "malloc from " + from);
            }
        }
        if (lock != null) {
            lock.channel().close();
        }
        missingResults(plan, running, rows, failures);

        out.printf("mm4j bench alloc — %s run (JMH %s; C program: %d ms warm-up, %d ms measured per case)%n%n",
                quick ? "quick" : "full", String.join(" ", plan.jmhOptions()), plan.cWarmupMillis(), plan.cMillis());
        TextReport.section(out, "Machine", facts);
        TextReport.section(out, "C program", cFacts);
        TextReport.section(out, "Not run", skipped);
        TextReport.section(out, "Failed (logs in " + directory + ")", failures);
        out.println("ns/op: time per operation; for threaded workloads the wall time of a round over all threads'"
                + " operations.");
        out.println("Mops/s: million operations per second over all threads. ±: JMH's 99.9 % error (none with one"
                + " iteration, nor for C).");
        out.println("vs mm4j: ns/op over mm4j's ns/op in the same case (2.00: half as fast as mm4j; 0.50: twice as fast).");
        out.println();
        out.print(ResultTable.render(rows));
        out.flush();
        if (json != null) {
            TextReport.writeFile(json, ResultJson.write(rows));
            err.println("bench: wrote " + rows.size() + " results to " + json);
        }
        return failures.isEmpty() ? 0 : 1;
    }

    private static String label(BenchPlan.Case c) {
        return !c.workload().threaded() ? "" : c.threads() == 1 ? " (1 thread)" : " (" + c.threads() + " threads)";
    }

    private List<Workload> workloads() {
        if (workloadNames == null || workloadNames.isEmpty()) {
            return List.of(Workload.values());
        }
        Set<Workload> chosen = new LinkedHashSet<>();
        for (String name : workloadNames) {
            Workload w = Workload.byId(name.trim());
            if (w == null) {
                throw new ParameterException(spec.commandLine(), "unknown workload " + name);
            }
            chosen.add(w);
        }
        return List.of(Workload.values()).stream().filter(chosen::contains).toList();
    }

    private Set<String> allocators() {
        Set<String> names = new LinkedHashSet<>();
        if (allocatorNames == null || allocatorNames.isEmpty()) {
            Allocator.ALL.forEach(a -> names.add(a.name()));
            return names;
        }
        names.add("mm4j");
        for (String name : allocatorNames) {
            if (Allocator.byName(name.trim()) == null) {
                throw new ParameterException(spec.commandLine(), "unknown allocator " + name);
            }
            names.add(name.trim());
        }
        return names;
    }

    /** Adds a failure for every case an allocator should have run but has no result for. */
    private static void missingResults(BenchPlan plan, List<Allocator> running, List<ResultRow> rows,
            Map<String, String> failures) {
        for (BenchPlan.Case c : plan.cases()) {
            for (Allocator a : running) {
                if (a.refusal(c.workload(), c.threads()) != null) {
                    continue;
                }
                boolean found = rows.stream().anyMatch(r -> r.allocator().equals(a.name())
                        && r.workload().equals(c.workload().id()) && r.threads() == c.threads()
                        && Objects.equals(r.sizeBytes(), c.size()));
                // As JmhRunner.describe names a fork, so that a fork's own failure is not listed twice.
                String what = c.workload().id() + " allocator=" + a.name()
                        + (c.workload().threaded() ? " threads=" + c.threads() : "")
                        + (c.workload().fixedSize == null && c.size() != null ? " size=" + c.size() : "");
                if (!found && !failures.containsKey(what)) {
                    failures.put(what, "no result");
                }
            }
        }
    }

    private static String runC(Path binary, List<String> arguments, Path output) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text;
        try (InputStream in = process.getInputStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int status = process.waitFor();
        Files.writeString(output, String.join(" ", command) + "\n" + text + (status == 0 ? "" : "exit " + status + "\n"),
                StandardCharsets.UTF_8);
        return text;
    }
}
