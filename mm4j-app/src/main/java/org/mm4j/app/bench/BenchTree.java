package org.mm4j.app.bench;

import java.io.IOException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The parts of the mm4j source tree the benchmark command needs, and how it makes them ready: the JMH jar
 * (built with the Maven wrapper when missing or older than its sources) and the native peers (the set-up
 * script when its results are missing or stale).
 */
final class BenchTree {
    final Path root;

    BenchTree(Path root) {
        this.root = root;
    }

    /** The tree this app was built in: the first parent of its jar (or classes) with {@code mvnw} and {@code mm4j-bench}. */
    static BenchTree locate() {
        Path start;
        try {
            start = Path.of(BenchTree.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            start = Path.of("").toAbsolutePath();
        }
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("mvnw")) && Files.isDirectory(p.resolve("mm4j-bench"))) {
                return new BenchTree(p);
            }
        }
        throw new IllegalStateException("cannot find the mm4j source tree (a folder with mvnw and mm4j-bench) above "
                + start);
    }

    Path benchJar() {
        return root.resolve("mm4j-bench/target/benchmarks.jar");
    }

    Path setupScript() {
        return root.resolve("mm4j-bench/setup.sh");
    }

    Path peersFile() {
        return root.resolve("mm4j-bench/target/c/peers.properties");
    }

    /** Where a run keeps its JMH logs and raw files. */
    Path runDirectory() {
        return root.resolve("mm4j-bench/target/bench-alloc");
    }

    /** Builds mm4j-bench (and mm4j-core, mm4j-app) when the jar is missing or older than a source or pom. */
    void ensureBenchJar(PrintWriter log) throws IOException, InterruptedException {
        Path jar = benchJar();
        String why = !Files.exists(jar) ? "benchmarks.jar is missing"
                : newerThan(Files.getLastModifiedTime(jar), List.of("pom.xml", "mm4j-core/pom.xml", "mm4j-app/pom.xml",
                        "mm4j-bench/pom.xml", "mm4j-core/src/main", "mm4j-app/src/main", "mm4j-bench/src/main/java"))
                        ? "its sources changed" : null;
        if (why == null) {
            return;
        }
        List<String> command = List.of(root.resolve("mvnw").toString(), "-q", "-pl", "mm4j-bench", "-am", "package",
                "-Dmaven.test.skip=true");
        log.println("bench: building mm4j-bench (" + why + "): ./mvnw -q -pl mm4j-bench -am package -Dmaven.test.skip=true");
        log.flush();
        int status = new ProcessBuilder(command).directory(root.toFile()).inheritIO().start().waitFor();
        if (status != 0 || !Files.exists(jar)) {
            throw new IllegalStateException("building mm4j-bench failed (exit " + status + "); see the messages above");
        }
    }

    /** Runs the set-up script when its results are missing or older than the script or the C source. */
    void ensureNativePeers(PrintWriter log) throws IOException, InterruptedException {
        Path peers = peersFile();
        String why = !Files.exists(peers) ? "first use"
                : newerThan(Files.getLastModifiedTime(peers), List.of("mm4j-bench/setup.sh", "mm4j-bench/src/main/c"))
                        ? "the C program or the script changed"
                        : missingBinary(peers) ? "a built program is gone" : null;
        if (why == null) {
            return;
        }
        log.println("bench: setting up the native peers (" + why + "): bash mm4j-bench/setup.sh"
                + " (installs libjemalloc2, libmimalloc2.0, libtcmalloc-minimal4 with apt-get, builds the C program)");
        log.flush();
        Process process = new ProcessBuilder("bash", setupScript().toString()).directory(root.toFile())
                .redirectErrorStream(true).start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                log.println(line);
                log.flush();
            }
        }
        int status = process.waitFor();
        log.flush();
        if (status != 0 || !Files.exists(peers)) {
            throw new IllegalStateException("mm4j-bench/setup.sh failed (exit " + status + ")");
        }
    }

    /** The set-up step's findings: {@code peer=path} or {@code peer.missing=reason}. */
    Properties nativePeers() throws IOException {
        Properties properties = new Properties();
        if (Files.exists(peersFile())) {
            try (Reader reader = Files.newBufferedReader(peersFile(), StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
        }
        return properties;
    }

    private boolean missingBinary(Path peers) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(peers, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties.stringPropertyNames().stream()
                .filter(name -> name.startsWith("c-") && !name.endsWith(".missing"))
                .anyMatch(name -> !Files.isExecutable(Path.of(properties.getProperty(name))));
    }

    private boolean newerThan(FileTime time, List<String> paths) throws IOException {
        for (String path : paths) {
            Path p = root.resolve(path);
            if (!Files.exists(p)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(p)) {
                boolean newer = files.filter(Files::isRegularFile).anyMatch(f -> {
                    try {
                        return Files.getLastModifiedTime(f).compareTo(time) > 0;
                    } catch (IOException e) {
                        return true;
                    }
                });
                if (newer) {
                    return true;
                }
            }
        }
        return false;
    }
}
