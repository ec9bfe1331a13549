package org.mm4j.app.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code mm4j bench gc}: mm4j's collector beside the JVM's, on one churn workload with a large live set
 * ({@link ChurnShape}) — mm4j's heap, and the same records as Java objects under G1, ZGC and Shenandoah,
 * each system in a JVM of its own ({@link GcChild}), one after the other — printed side by side: pauses,
 * stalls, operations' latencies, throughput, the collector's share of the CPU, and memory.
 */
@Command(
        name = "gc",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "A churn workload with a large live set on mm4j's heap and on the JVM's collectors,"
                + " side by side",
        footer = {"", "Progress goes to stderr, the report to stdout. Each system's output, safepoint log and"
                + " histograms (and mm4j's pauses one by one): mm4j-app/target/bench-gc/ (or --log-dir).",
            "See docs/benchmarks/README.md for the workload, how each figure is measured and how to read them."})
public final class GcBenchCommand implements Callable<Integer> {
    static final long DEFAULT_LIVE_BYTES = 2L << 30;
    static final long QUICK_LIVE_BYTES = 200L << 20;
    static final long DEFAULT_DURATION_MILLIS = 120_000;
    static final long QUICK_DURATION_MILLIS = 12_000;
    static final long DEFAULT_WARMUP_MILLIS = 20_000;
    static final long QUICK_WARMUP_MILLIS = 3_000;
    /** Operations per second of all threads: well within what mm4j's heap does on two cores. */
    static final double DEFAULT_RATE = 50_000;
    static final double DEFAULT_HEAP_FACTOR = 2.0;
    /** No heap is smaller: below this, a heap's fixed parts (mm4j's nursery, the JVM's regions) crowd it. */
    static final long MIN_HEAP_BYTES = 64L << 20;
    static final long DEFAULT_SEED = 20251122;

    @Spec CommandSpec spec;

    @Option(names = "--quick", description = "A short run (within 3 minutes on 2 cores): "
            + "200 MiB live, 3 s warm-up and 12 s measured per system")
    boolean quick;

    @Option(names = "--live-bytes", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "The live set, e.g. 2g, 500m (binary units; default 2g, quick 200m)")
    Long liveBytes;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
            description = "Mutator threads, 1 or 2 (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--rate", paramLabel = "OPS", description = "Operations per second of all threads together,"
            + " at a steady pace; 0 runs them as fast as they go (default: 50000)")
    Double rate;

    @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class,
            description = "The measured part per system, e.g. 120s, 2m (default 120s, quick 12s)")
    Long durationMillis;

    @Option(names = "--warmup", paramLabel = "TIME", converter = DurationConverter.class,
            description = "Churn before the measured part, per system (default 20s, quick 3s)")
    Long warmupMillis;

    @Option(names = "--heap-factor", paramLabel = "X",
            description = "Each system's heap (mm4j: its limit) as a multiple of the live set (default: 2)")
    Double heapFactor;

    @Option(names = "--systems", split = ",", paramLabel = "NAME",
            description = "Only these: mm4j, jvm-g1, jvm-zgc, jvm-shenandoah (default: all)")
    List<String> systemNames;

    @Option(names = "--pause-target", paramLabel = "TIME", converter = NanosConverter.class,
            description = "mm4j's pause target, e.g. 500us, 2ms (default: the heap's, 1 ms)")
    Long pauseTargetNanos;

    @Option(names = "--growth-factor", paramLabel = "X",
            description = "mm4j's old-space growth factor (default: the heap's, 2)")
    Double growthFactor;

    @Option(names = "--nursery", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "mm4j's nursery, e.g. 32m (default: the heap's, 8 MiB)")
    Long nurseryBytes;

    @Option(names = "--collector-threads", paramLabel = "N",
            description = "mm4j's collector threads; 0: allocating threads do the old collection's work "
                    + "(default: the heap's, one per four processors, at least one)")
    Integer collectorThreads;

    @Option(names = "--huge-pages", paramLabel = "BOOL", arity = "1",
            description = "Whether mm4j's heap asks for transparent huge pages: true or false (default: the heap's, false)")
    Boolean hugePages;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the workload (default: " + DEFAULT_SEED + ")")
    Long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON to FILE,"
            + " one object per system")
    Path json;

    @Option(names = "--log-dir", paramLabel = "DIR",
            description = "Where each system's output, safepoint log and histograms go")
    Path logDirectory;

    @Option(names = "--share-machine", description = "Do not wait for other benchmarks (/tmp/jmh.lock):"
            + " for smoke runs beside other work")
    boolean shareMachine;

    /** What the options ask for, defaults and quick values filled in and checked. */
    record Plan(ChurnShape shape, long nominalLiveBytes, long heapBytes, double rate, long warmupMillis,
            long durationMillis, long seed, List<GcSystem> systems, HeapSettings heapSettings) {

        /** How long a system's JVM may take before it is stopped: its build, census and start-up included. */
        long timeoutMillis() {
            long gib = Math.max(1, nominalLiveBytes >> 30);
            return 120_000 + 120_000 * gib + warmupMillis + 2 * durationMillis;
        }
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Plan plan = plan();
        Path directory = logDirectory();
        Files.createDirectories(directory);

        Map<String, String> facts = MachineFacts.basic();
        List<Map<String, Object>> results = new ArrayList<>();
        Map<String, String> notRun = new LinkedHashMap<>();
        Map<String, String> failed = new LinkedHashMap<>();
        List<GcSystem> running = new ArrayList<>();
        for (GcSystem system : plan.systems()) {
            String missing = unavailable(system);
            if (missing == null) {
                running.add(system);
            } else {
                notRun.put(system.id, missing);
                results.add(GcResult.notRun(system, GcResult.SKIPPED, missing));
            }
        }
        err.printf(Locale.ROOT, "bench: %s run: %d systems, one JVM each, up to %s per system; logs in %s%n",
                quick ? "quick" : "full", running.size(),
                GcResultTable.micros(plan.timeoutMillis() * 1e3), directory);
        err.flush();
        FileLock lock = shareMachine ? null : MachineLock.take(message -> {
            err.println("bench: " + message);
            err.flush();
        });
        if (!shareMachine && lock == null) {
            err.println("bench: could not take /tmp/jmh.lock; running beside another benchmark");
        }
        try {
            for (int i = 0; i < running.size(); i++) {
                GcSystem system = running.get(i);
                err.printf("bench: [%d/%d] %s%n", i + 1, running.size(), system.id);
                err.flush();
                Map<String, Object> result = runChild(plan, system, directory, err);
                results.add(result);
                if (!GcResult.OK.equals(result.get(GcResult.STATUS))) {
                    failed.put(system.id, String.valueOf(result.get(GcResult.REASON)));
                }
            }
        } finally {
            if (lock != null) {
                lock.channel().close();
            }
        }
        results.sort((a, b) -> GcSystem.byId((String) a.get(GcResult.SYSTEM))
                .compareTo(GcSystem.byId((String) b.get(GcResult.SYSTEM))));

        printReport(out, plan, facts, notRun, failed, results, directory);
        if (json != null) {
            TextReport.writeFile(json, jsonArray(results));
            err.println("bench: wrote " + results.size() + " systems' figures to " + json);
        }
        return failed.isEmpty() ? 0 : 1;
    }

    private void printReport(PrintWriter out, Plan plan, Map<String, String> facts, Map<String, String> notRun,
            Map<String, String> failed, List<Map<String, Object>> results, Path directory) {
        ChurnShape shape = plan.shape();
        out.printf(Locale.ROOT, "mm4j bench gc — %s run: %s live (%,d groups, %,d objects), %d mutator thread%s, %s,"
                        + " %s warm-up + %s measured per system, heap %s× the live set (%s), seed %d%n%n",
                quick ? "quick" : "full", ResultTable.bytes(plan.nominalLiveBytes()), shape.groups(), shape.objects(),
                shape.threads(), shape.threads() == 1 ? "" : "s",
                plan.rate() == 0 ? "unpaced" : String.format(Locale.ROOT, "%,.0f ops/s", plan.rate()),
                GcResultTable.micros(plan.warmupMillis() * 1e3), GcResultTable.micros(plan.durationMillis() * 1e3),
                ResultTable.number(plan.heapBytes() / (double) plan.nominalLiveBytes()),
                ResultTable.bytes(plan.heapBytes()), plan.seed());
        TextReport.section(out, "Machine", facts);
        Map<String, String> systems = new LinkedHashMap<>();
        for (GcSystem s : plan.systems()) {
            systems.put(s.id, s.description + "; " + String.join(" ", s.jvmOptions(plan.heapBytes()))
                    + (s.isMm4j() ? ", mm4j heap limit " + ResultTable.bytes(plan.heapBytes()) + ", "
                            + plan.heapSettings().describe() : ""));
        }
        TextReport.section(out, "Systems", systems);
        TextReport.section(out, "Not run", notRun);
        TextReport.section(out, "Failed (logs in " + directory + ")", failed);
        out.println("pause: stop-the-world pauses of the collector (mm4j: its collection events; JVMs: their"
                + " collectors' safepoints, time to safepoint included).");
        out.println("stall: a meter thread's hiccups (sleep 1 ms, one operation on the system, the excess), as"
                + " jHiccup; it sees stalls of any cause.");
        out.println("op response: each operation from when it was due at the target rate to its end"
                + " (corrected for coordinated omission); service: from its start.");
        out.println("collector CPU share: the collector's CPU time over the process's in the measured part."
                + " RSS: resident set (peak: VmHWM).");
        out.println();
        out.print(GcResultTable.render(results));
        Map<String, String> targets = GcResultTable.targets(results);
        if (!targets.isEmpty()) {
            out.println();
        }
        TextReport.section(out, "The issue's targets for mm4j (decided on an idle machine)", targets);
        out.flush();
    }

    /** The figures as a JSON array, one object a line. */
    static String jsonArray(List<Map<String, Object>> results) {
        StringBuilder text = new StringBuilder("[\n");
        for (int i = 0; i < results.size(); i++) {
            text.append("  ").append(Json.write(results.get(i))).append(i == results.size() - 1 ? "\n" : ",\n");
        }
        return text.append("]\n").toString();
    }

    Plan plan() {
        if (threads < 1 || threads > ChurnShape.MAX_THREADS) {
            throw new ParameterException(spec.commandLine(), "--threads must be 1 or 2: " + threads);
        }
        long live = liveBytes != null ? liveBytes : quick ? QUICK_LIVE_BYTES : DEFAULT_LIVE_BYTES;
        long perGroup = HeapChurn.bytesPerGroup();
        long smallest = perGroup * ChurnShape.PAGE_SLOTS * threads;
        if (live < smallest) {
            throw new ParameterException(spec.commandLine(), "--live-bytes must be at least " + smallest
                    + " (a page of " + ChurnShape.PAGE_SLOTS + " groups per thread): " + live);
        }
        double r = rate != null ? rate : DEFAULT_RATE;
        if (!(r >= 0) || Double.isInfinite(r)) {
            throw new ParameterException(spec.commandLine(), "--rate must be 0 or positive: " + rate);
        }
        long duration = durationMillis != null ? durationMillis : quick ? QUICK_DURATION_MILLIS : DEFAULT_DURATION_MILLIS;
        if (duration <= 0) {
            throw new ParameterException(spec.commandLine(), "--duration must be positive");
        }
        long warmup = warmupMillis != null ? warmupMillis : quick ? QUICK_WARMUP_MILLIS : DEFAULT_WARMUP_MILLIS;
        double factor = heapFactor != null ? heapFactor : DEFAULT_HEAP_FACTOR;
        if (!(factor >= 1) || Double.isInfinite(factor)) {
            throw new ParameterException(spec.commandLine(), "--heap-factor must be at least 1: " + heapFactor);
        }
        ChurnShape shape;
        try {
            shape = ChurnShape.forLiveBytes(live, perGroup, threads);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--live-bytes: " + e.getMessage());
        }
        long nominal = shape.groups() * perGroup;
        long heap = Math.max(MIN_HEAP_BYTES, roundUpToMiB((long) Math.ceil(factor * nominal)));
        HeapSettings settings = new HeapSettings(pauseTargetNanos, growthFactor, nurseryBytes, collectorThreads,
                hugePages);
        try {
            settings.applyTo(org.mm4j.heap.Heap.builder()); // the builder's checks, before any JVM starts
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return new Plan(shape, nominal, heap, r, warmup, duration, seed != null ? seed : DEFAULT_SEED, systems(),
                settings);
    }

    private static long roundUpToMiB(long bytes) {
        return (bytes + (1L << 20) - 1) & -(1L << 20);
    }

    private List<GcSystem> systems() {
        if (systemNames == null || systemNames.isEmpty()) {
            return List.of(GcSystem.values());
        }
        Set<GcSystem> chosen = new LinkedHashSet<>();
        for (String name : systemNames) {
            GcSystem s = GcSystem.byId(name.trim());
            if (s == null) {
                throw new ParameterException(spec.commandLine(), "unknown system " + name
                        + " (known: mm4j, jvm-g1, jvm-zgc, jvm-shenandoah)");
            }
            chosen.add(s);
        }
        return List.of(GcSystem.values()).stream().filter(chosen::contains).toList();
    }

    private Path logDirectory() {
        if (logDirectory != null) {
            return logDirectory;
        }
        try {
            return BenchTree.locate().root.resolve("mm4j-app/target/bench-gc");
        } catch (IllegalStateException e) {
            return Path.of(System.getProperty("java.io.tmpdir"), "mm4j-bench-gc");
        }
    }

    private static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** Why {@code system} cannot run in this JDK (its collector is not built in), or null. */
    static String unavailable(GcSystem system) throws IOException, InterruptedException {
        if (system.isMm4j()) {
            return null;
        }
        List<String> command = new ArrayList<>(List.of(java().toString()));
        command.addAll(system.collectorOptions());
        command.add("-version");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return "java " + String.join(" ", system.collectorOptions()) + " -version did not finish";
        }
        if (process.exitValue() == 0) {
            return null;
        }
        String first = output.lines().filter(l -> !l.isBlank()).findFirst().orElse("exit " + process.exitValue());
        return "this JDK refuses " + String.join(" ", system.collectorOptions()) + ": " + first.trim();
    }

    /** Runs one system's JVM to its end (or its timeout) and returns its figures, or why it failed. */
    private static Map<String, Object> runChild(Plan plan, GcSystem system, Path directory, PrintWriter err)
            throws IOException, InterruptedException {
        Path safepointLog = directory.resolve(system.id + "-safepoints.log");
        Path stdout = directory.resolve(system.id + ".out");
        Path stderr = directory.resolve(system.id + ".err");
        Files.deleteIfExists(safepointLog);
        GcChildSpec childSpec = new GcChildSpec(system, plan.shape().groups(), plan.shape().threads(), plan.rate(),
                plan.warmupMillis(), plan.durationMillis(), plan.seed(), plan.heapBytes(), safepointLog,
                directory.resolve(system.id + ".hlog"), plan.heapSettings());
        Files.deleteIfExists(GcChild.pauseLog(childSpec)); // a failed run leaves none, not the last run's
        List<String> command = new ArrayList<>();
        command.add(java().toString());
        command.addAll(system.jvmOptions(plan.heapBytes()));
        command.add(GcSystem.safepointLogOption(safepointLog));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(GcChild.class.getName());
        command.addAll(childSpec.toArguments());
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).start();
        Deque<String> tail = new ArrayDeque<>();
        Thread pump = Thread.ofPlatform().daemon().name("bench-gc-" + system.id + "-stderr")
                .start(() -> pump(process.getErrorStream(), stderr, command, system.id, tail, err));
        boolean finished = process.waitFor(plan.timeoutMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        pump.join(TimeUnit.SECONDS.toMillis(30));
        String text = Files.exists(stdout) ? Files.readString(stdout, StandardCharsets.UTF_8) : "";
        Map<String, Object> result = parseResult(text);
        if (!finished) {
            return GcResult.notRun(system, GcResult.FAILED, "timed out after "
                    + GcResultTable.micros(plan.timeoutMillis() * 1e3) + "; see " + stderr);
        }
        if (result != null) {
            result.put(GcResult.SEED, plan.seed()); // exact: the JSON reader's doubles hold 53 bits
            return result; // its status says whether its census agreed
        }
        String last;
        synchronized (tail) {
            last = tail.isEmpty() ? "no output" : tail.getLast();
        }
        return GcResult.notRun(system, GcResult.FAILED, "exit " + process.exitValue() + ": " + last + " (see "
                + stderr + ")");
    }

    /** The figures in a child's standard output: its last result line, parsed; null if it has none. */
    static Map<String, Object> parseResult(String stdout) {
        Map<String, Object> result = null;
        for (String line : stdout.lines().toList()) {
            if (line.startsWith(GcChild.RESULT_PREFIX)) {
                Object parsed = Json.parse(line.substring(GcChild.RESULT_PREFIX.length()));
                if (parsed instanceof Map<?, ?> map) {
                    Map<String, Object> figures = new LinkedHashMap<>();
                    map.forEach((k, v) -> figures.put(String.valueOf(k), v));
                    result = figures;
                }
            }
        }
        return result;
    }

    /** Lines kept of a child's standard error: the last, which says why it failed when it did. */
    private static final int TAIL_LINES = 1;

    /** Copies a child's standard error to its file and, each line prefixed, to the command's progress. */
    private static void pump(InputStream in, Path file, List<String> command, String system, Deque<String> tail,
            PrintWriter err) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                Writer log = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            log.write(String.join(" ", command) + "\n\n");
            for (String line; (line = reader.readLine()) != null; ) {
                log.write(line);
                log.write('\n');
                log.flush();
                if (!line.isBlank()) {
                    synchronized (tail) {
                        tail.addLast(line.trim());
                        if (tail.size() > TAIL_LINES) {
                            tail.removeFirst();
                        }
                    }
                }
                synchronized (err) {
                    err.println("bench: " + system + ": " + line);
                    err.flush();
                }
            }
        } catch (IOException e) {
            synchronized (err) {
                err.println("bench: " + system + ": reading its output failed: " + e);
            }
        }
    }

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(?:i?b)?",
            Pattern.CASE_INSENSITIVE);

    /**
     * Bytes from {@code 2g}, {@code 500m}, {@code 1.5GiB}, {@code 1048576}: binary units (k = 1024).
     *
     * @throws IllegalArgumentException if {@code text} is not such a size
     */
    static long parseBytes(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size: '" + text + "' (e.g. 2g, 500m, 1048576)");
        }
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        double bytes = Double.parseDouble(m.group(1)) * (1L << shift);
        if (bytes >= Long.MAX_VALUE) {
            throw new IllegalArgumentException("size too large: " + text);
        }
        return (long) bytes;
    }

    private static final Pattern NANOS = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|µs|ms|s)");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min)?",
            Pattern.CASE_INSENSITIVE);

    /**
     * Milliseconds from {@code 500ms}, {@code 12s}, {@code 1.5s}, {@code 2m}; a bare number is seconds.
     *
     * @throws IllegalArgumentException if {@code text} is not such a duration
     */
    static long parseMillis(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (e.g. 500ms, 12s, 2m)");
        }
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        double value = Double.parseDouble(m.group(1));
        return Math.round(switch (unit) {
            case "ms" -> value;
            case "m", "min" -> value * 60_000;
            default -> value * 1000;
        });
    }

    /** picocli's converter for {@link #parseBytes}. */
    static final class SizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return parseBytes(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** picocli's converter for durations to nanoseconds: a number and ns, us, µs, ms or s. */
    static final class NanosConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            Matcher m = NANOS.matcher(value.trim());
            if (!m.matches()) {
                throw new TypeConversionException("expected a duration such as 500us or 2ms: " + value);
            }
            double unit = switch (m.group(2)) {
                case "ns" -> 1;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                default -> 1e9;
            };
            return Math.round(Double.parseDouble(m.group(1)) * unit);
        }
    }

    /** picocli's converter for {@link #parseMillis}. */
    static final class DurationConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return parseMillis(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
