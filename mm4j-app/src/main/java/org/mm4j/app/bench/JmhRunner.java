package org.mm4j.app.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs mm4j-bench's JMH jar as a subprocess for one {@link BenchPlan.JmhRun}, with {@code -rf json}, keeps
 * its whole output in a log file, shows one progress line per fork, and notes each fork that failed
 * with the first line of its exception.
 */
final class JmhRunner {
    private final Path jar;
    private final Path directory;
    private final Map<String, String> environment;
    private final List<String> jvmArguments;
    private final Progress progress;

    /** Counts forks across runs and prints where the suite is. */
    static final class Progress {
        private final PrintWriter out;
        private final int total;
        private final long start = System.nanoTime();
        private int done;

        Progress(PrintWriter out, int total) {
            this.out = out;
            this.total = total;
        }

        void waiting(String why) {
            out.println("bench: " + why);
            out.flush();
        }

        void fork(String what) {
            done++;
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            out.printf("bench: [%d/%d, %d:%02d] %s%n", done, total, seconds / 60, seconds % 60, what);
            out.flush();
        }
    }

    /** What a run produced: its rows, and the forks that failed (what → why). */
    record Outcome(List<ResultRow> rows, Map<String, String> failures) {}

    JmhRunner(Path jar, Path directory, Map<String, String> environment, List<String> jvmArguments, Progress progress) {
        this.jar = jar;
        this.directory = directory;
        this.environment = environment;
        this.jvmArguments = jvmArguments;
        this.progress = progress;
    }

    /** What JMH prints when another JMH run on this machine holds its lock ({@code /tmp/jmh.lock}). */
    static final String LOCKED = "Unable to acquire the JMH lock";
    /**
     * Runs {@code run}; while another JMH run holds the machine's JMH lock, waits (printing that it
     * does) and tries again, rather than measuring beside it.
     */
    Outcome run(BenchPlan plan, BenchPlan.JmhRun run, int index) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            Outcome outcome = runOnce(plan, run, index);
            if (!outcome.failures().containsKey(LOCKED) || attempt == MachineLock.ATTEMPTS) {
                return outcome;
            }
            progress.waiting(MachineLock.waitingMessage(attempt));
            Thread.sleep(MachineLock.WAIT_MILLIS);
        }
    }

    private Outcome runOnce(BenchPlan plan, BenchPlan.JmhRun run, int index) throws IOException, InterruptedException {
        Path json = directory.resolve("jmh-" + index + ".json");
        Path log = directory.resolve("jmh-" + index + ".log");
        Files.deleteIfExists(json);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), run.regex()));
        command.addAll(plan.jmhOptions());
        command.addAll(List.of("-rf", "json", "-rff", json.toString()));
        command.addAll(run.paramArguments());
        command.add("-jvmArgsAppend");
        command.add(String.join(" ", jvmArguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        Map<String, String> failures = new LinkedHashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                Writer file = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            file.write(String.join(" ", command) + "\n\n");
            String benchmark = "";
            String current = "";
            boolean failing = false;
            for (String line; (line = in.readLine()) != null; ) {
                file.write(line);
                file.write('\n');
                if (line.contains(LOCKED)) {
                    failures.put(LOCKED, line.trim());
                } else if (line.startsWith("# Benchmark: ")) {
                    benchmark = line.substring("# Benchmark: ".length()).trim();
                } else if (line.startsWith("# Parameters: ")) {
                    current = describe(benchmark, line.substring("# Parameters: ".length()).trim());
                    progress.fork(current);
                } else if (line.contains("<failure>")) {
                    failing = true;
                } else if (failing && !line.isBlank()) {
                    failures.put(current, line.trim());
                    failing = false;
                }
            }
        }
        int status = process.waitFor();
        List<ResultRow> rows = Files.exists(json) ? JmhResults.parse(Files.readString(json, StandardCharsets.UTF_8)) : List.of();
        if (status != 0 && rows.isEmpty()) {
            failures.put("JMH run " + index, "exit " + status + ", no results; see " + log);
        }
        return new Outcome(rows, failures);
    }

    /**
     * Takes the machine's JMH lock (the file JMH itself locks) for work outside JMH, such as the C
     * program, so that it does not measure beside another JMH run either; waits as {@link #run} does.
     * Null if the lock cannot be had in that time (the caller goes on, and says so).
     */
    FileLock lockMachine() throws IOException, InterruptedException {
        return MachineLock.take(progress::waiting);
    }

    /** "pair allocator=mm4j size=16" from a benchmark name and JMH's "(allocator = mm4j, size = 16)". */
    static String describe(String benchmark, String parameters) {
        Workload workload = Workload.byBenchmark(benchmark);
        String params = parameters.replaceAll("^\\(|\\)$", "").replace(" = ", "=").replace(", ", " ");
        return (workload == null ? benchmark : workload.id()) + " " + params;
    }
}
