package org.mm4j.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.mm4j.bench.peer.Peer;
import org.mm4j.os.ProcessMemory;

/**
 * The side channel for what JMH cannot report as a score: the memory a workload leaves behind at the end
 * of a run. One JSON object per line is appended to the file named by {@code -Dmm4j.bench.report}
 * (what {@code ./mm4j bench alloc} passes to every fork) and printed to standard output.
 */
final class MemoryReport {
    static final String PROPERTY = "mm4j.bench.report";

    private MemoryReport() {}

    /** The resident set of this process ({@code /proc/self/statm}), or -1 where the OS does not tell. */
    static long residentBytes() {
        return ProcessMemory.residentSetBytes();
    }

    /** Records the memory left at the end of {@code workload} run on {@code peer}. */
    static void record(String workload, Peer peer, int threads, long liveBytes, long baselineResidentBytes) {
        long committed = peer.committedBytes();
        String line = "{\"workload\":\"" + workload + "\",\"allocator\":\"" + peer.name() + "\",\"threads\":" + threads
                + ",\"live_bytes\":" + liveBytes + ",\"committed_bytes\":" + (committed < 0 ? "null" : committed)
                + ",\"committed_source\":\"" + peer.committedSource() + "\",\"rss_bytes\":" + residentBytes()
                + ",\"rss_baseline_bytes\":" + baselineResidentBytes + "}";
        System.out.println("mm4j-bench memory: " + line);
        String file = System.getProperty(PROPERTY);
        if (file != null && !file.isBlank()) {
            try {
                Files.writeString(Path.of(file), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
