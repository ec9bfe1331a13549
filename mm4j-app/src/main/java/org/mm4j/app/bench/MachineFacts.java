package org.mm4j.app.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a reader needs to judge the figures: the machine, the OS, the JDK, glibc's malloc tunables as in
 * effect for the benchmarks (its trim and mmap thresholds swing results), and the native libraries'
 * versions ({@link #basic()} leaves out the last two). Gathered from {@code /proc}, {@code /sys},
 * {@code ld.so --list-tunables} and {@code dpkg-query}; anything unavailable reads "unknown".
 */
final class MachineFacts {
    private static final List<String> LOADERS = List.of("/lib64/ld-linux-x86-64.so.2", "/lib/ld-linux-aarch64.so.1",
            "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1");

    private MachineFacts() {}

    /**
     * The facts as labelled lines, in order.
     *
     * @param glibcTunables the {@code GLIBC_TUNABLES} the benchmarks run with
     */
    static Map<String, String> gather(String glibcTunables) {
        Map<String, String> facts = basic();
        facts.put("glibc", firstLine(run(List.of("ldd", "--version"), Map.of())));
        facts.put("glibc malloc", glibcMalloc(glibcTunables));
        facts.put("libraries", packageVersions(List.of("libjemalloc2", "libmimalloc2.0", "libtcmalloc-minimal4")));
        return facts;
    }

    /** The machine, the OS, the load and the JDK, as labelled lines in order. */
    static Map<String, String> basic() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("date", ZonedDateTime.now().withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        facts.put("cpu", cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores available");
        facts.put("memory", memTotal());
        facts.put("os", osName() + ", kernel " + read("/proc/sys/kernel/osrelease"));
        facts.put("transparent huge pages", read("/sys/kernel/mm/transparent_hugepage/enabled"));
        facts.put("load average at start", loadAverage());
        facts.put("jdk", System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.name") + ", "
                + System.getProperty("java.home") + ")");
        return facts;
    }

    /** glibc's malloc settings in effect: the environment, the tunables, and what they mean for the thresholds. */
    static String glibcMalloc(String glibcTunables) {
        StringBuilder out = new StringBuilder("GLIBC_TUNABLES=").append(glibcTunables.isEmpty() ? "(unset)" : glibcTunables);
        List<String> mallocEnv = new ArrayList<>();
        System.getenv().forEach((k, v) -> {
            if (k.startsWith("MALLOC_")) {
                mallocEnv.add(k + "=" + v);
            }
        });
        if (!mallocEnv.isEmpty()) {
            out.append("; environment ").append(String.join(" ", mallocEnv));
        }
        Map<String, String> tunables = tunables(glibcTunables);
        if (tunables.isEmpty()) {
            return out.append("; ld.so --list-tunables unavailable").toString();
        }
        out.append("; M_TRIM_THRESHOLD ").append(threshold(tunables.get("glibc.malloc.trim_threshold"),
                "128 KiB (default; dynamic: raised to twice the mmap threshold when an mmapped block is freed)"));
        out.append("; M_MMAP_THRESHOLD ").append(threshold(tunables.get("glibc.malloc.mmap_threshold"),
                "128 KiB (default; dynamic: raised to the size of a freed mmapped block, up to 32 MiB)"));
        List<String> others = new ArrayList<>();
        tunables.forEach((name, value) -> {
            if (name.startsWith("glibc.malloc.") && !name.endsWith("trim_threshold") && !name.endsWith("mmap_threshold")
                    && !isZero(value)) {
                others.add(name + "=" + value);
            }
        });
        out.append("; other malloc tunables ").append(others.isEmpty() ? "at their defaults" : String.join(" ", others));
        return out.toString();
    }

    private static String threshold(String value, String otherwise) {
        if (value == null || isZero(value)) {
            return otherwise;
        }
        return Long.decode(value) + " bytes (set: no dynamic adjustment)";
    }

    private static boolean isZero(String value) {
        try {
            return Long.decode(value) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** {@code ld.so --list-tunables}: name → current value, as the benchmarks' environment sets them. */
    static Map<String, String> tunables(String glibcTunables) {
        Map<String, String> tunables = new LinkedHashMap<>();
        for (String loader : LOADERS) {
            if (!Files.exists(Path.of(loader))) {
                continue;
            }
            String output = run(List.of(loader, "--list-tunables"),
                    glibcTunables.isEmpty() ? Map.of() : Map.of("GLIBC_TUNABLES", glibcTunables));
            for (String line : output.split("\n")) {
                int colon = line.indexOf(':');
                if (line.startsWith("glibc.") && colon > 0) {
                    String rest = line.substring(colon + 1).trim();
                    int space = rest.indexOf(' ');
                    tunables.put(line.substring(0, colon), space > 0 ? rest.substring(0, space) : rest);
                }
            }
            break;
        }
        return tunables;
    }

    private static String cpuModel() {
        for (String line : read("/proc/cpuinfo").split("\n")) {
            if (line.startsWith("model name") || line.startsWith("Model")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "unknown CPU";
    }

    private static String memTotal() {
        for (String line : read("/proc/meminfo").split("\n")) {
            if (line.startsWith("MemTotal:")) {
                String[] words = line.trim().split("\\s+");
                return ResultTable.bytes(Long.parseLong(words[1]) * 1024);
            }
        }
        return "unknown";
    }

    private static String osName() {
        for (String line : read("/etc/os-release").split("\n")) {
            if (line.startsWith("PRETTY_NAME=")) {
                return line.substring("PRETTY_NAME=".length()).replace("\"", "");
            }
        }
        return System.getProperty("os.name");
    }

    private static String loadAverage() {
        String[] words = read("/proc/loadavg").split("\\s+");
        return words.length >= 3 ? words[0] + " " + words[1] + " " + words[2] : "unknown";
    }

    private static String packageVersions(List<String> packages) {
        List<String> versions = new ArrayList<>();
        for (String p : packages) {
            String version = run(List.of("dpkg-query", "-W", "-f=${Version}", p), Map.of()).trim();
            versions.add(p + " " + (version.isEmpty() || version.contains("no packages") ? "not installed" : version));
        }
        return String.join(", ", versions);
    }

    static String read(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        String line = (newline < 0 ? text : text.substring(0, newline)).trim();
        return line.isEmpty() ? "unknown" : line;
    }

    /** Runs a short command and returns its standard output (empty when it cannot run). */
    private static String run(List<String> command, Map<String, String> environment) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "";
            }
            return new String(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
