package org.mm4j.app.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM's safepoint log ({@code -Xlog:safepoint}): one line per stop-the-world operation, whatever
 * the collector, such as
 *
 * <pre>
 * [700730086ns] Safepoint "G1CollectForAllocation", Time since last: 672367986 ns, Reaching safepoint: 5981 ns,
 *   At safepoint: 6930602 ns, Leaving safepoint: 24516 ns, Total: 6961099 ns, Threads: 0 runnable, 10 total
 * </pre>
 *
 * (one line in the file). {@code Total} is the whole time Java threads were stopped: reaching the
 * safepoint (time to safepoint), the operation, and leaving it. This is the one source that times every
 * collector's pauses the same way.
 */
final class SafepointLog {
    private static final Pattern LINE = Pattern.compile("Safepoint \"([^\"]+)\",.* Total: (\\d+) ns");
    private static final Pattern REACHING = Pattern.compile("Reaching safepoint: (\\d+) ns");

    private SafepointLog() {}

    /**
     * One safepoint.
     *
     * @param operation the VM operation, e.g. {@code G1CollectForAllocation}, {@code ZMarkStartYoung}
     * @param totalNanos how long Java threads were stopped for it
     * @param reachingNanos of that, the time to safepoint: until every Java thread had stopped (0 if the
     *     line does not say)
     */
    record Safepoint(String operation, long totalNanos, long reachingNanos) {
        /** Whether the operation is a collector's: a pause of G1, ZGC, Shenandoah or another collector. */
        boolean isCollection() {
            return isCollection(operation);
        }

        static boolean isCollection(String operation) {
            return operation.startsWith("G1")
                    || operation.startsWith("Shenandoah")
                    || (operation.length() > 1 && operation.charAt(0) == 'Z'
                            && Character.isUpperCase(operation.charAt(1)))
                    || operation.startsWith("CollectFor")
                    || operation.startsWith("Serial")
                    || operation.startsWith("Parallel")
                    || operation.startsWith("GC_");
        }
    }

    /** The safepoints of the log's lines; other lines (and a line cut short) are skipped. */
    static List<Safepoint> parse(String text) {
        List<Safepoint> safepoints = new ArrayList<>();
        for (String line : text.lines().toList()) {
            Matcher m = LINE.matcher(line);
            if (m.find()) {
                Matcher reaching = REACHING.matcher(line);
                safepoints.add(new Safepoint(m.group(1), Long.parseLong(m.group(2)),
                        reaching.find() ? Long.parseLong(reaching.group(1)) : 0));
            }
        }
        return safepoints;
    }

    /** The log's size now: where the lines written from now on start. 0 if there is no log yet. */
    static long offset(Path log) {
        try {
            return Files.size(log);
        } catch (IOException e) {
            return 0;
        }
    }

    /** The safepoints logged between two {@link #offset}s. */
    static List<Safepoint> read(Path log, long from, long to) throws IOException {
        try (InputStream in = Files.newInputStream(log)) {
            in.skipNBytes(from);
            return parse(new String(in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, to - from)),
                    StandardCharsets.UTF_8));
        }
    }
}
