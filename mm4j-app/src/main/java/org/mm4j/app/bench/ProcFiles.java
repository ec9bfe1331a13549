package org.mm4j.app.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What Linux's {@code /proc} says about this process, for {@code mm4j bench gc}: the CPU time of the
 * process and of each of its threads ({@code /proc/self/stat}, {@code /proc/self/task/<tid>/stat}), and
 * its resident set ({@code /proc/self/status}). The parsers take the files' text, for tests.
 */
final class ProcFiles {
    /**
     * Clock ticks per second of the {@code stat} files' times: {@code USER_HZ}, which Linux fixes at 100
     * for user space on every architecture the JDK runs on.
     */
    static final long TICKS_PER_SECOND = 100;

    private static final Path SELF = Path.of("/proc/self");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private ProcFiles() {}

    /**
     * One {@code stat} line's name and CPU time.
     *
     * @param name the thread's name as the kernel keeps it ({@code comm}: at most 15 bytes)
     * @param ticks user plus system time, in clock ticks
     */
    record Task(String name, long ticks) {}

    /**
     * Parses a {@code stat} line: {@code pid (comm) state ppid … utime stime …}. The name may hold spaces
     * and parentheses, so it ends at the last {@code ')'}; utime and stime are the 14th and 15th fields.
     *
     * @throws IllegalArgumentException if the line is not a {@code stat} line
     */
    static Task parseStat(String line) {
        // rest[0] is field 3 (state): utime (field 14) is rest[11], stime (field 15) rest[12].
        String[] rest = fieldsAfterName(line);
        try {
            return new Task(line.substring(line.indexOf('(') + 1, line.lastIndexOf(')')),
                    Long.parseLong(rest[11]) + Long.parseLong(rest[12]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad stat line: " + line, e);
        }
    }

    /**
     * A process's page faults so far ({@code stat} fields 10 and 12).
     *
     * @param minor faults served without reading a file: first touches of anonymous memory (memory given
     *     back with {@code madvise} and used again counts anew), copy-on-write
     * @param major faults that read a file or swap
     */
    record Faults(long minor, long major) {
        static final Faults UNKNOWN = new Faults(-1, -1);

        /** The faults since {@code earlier}; {@link #UNKNOWN} if either is. */
        Faults since(Faults earlier) {
            return minor < 0 || earlier.minor < 0 ? UNKNOWN : new Faults(minor - earlier.minor, major - earlier.major);
        }
    }

    /**
     * The page faults of a {@code stat} line: {@code minflt} and {@code majflt}, the 10th and 12th fields.
     *
     * @throws IllegalArgumentException if the line is not a {@code stat} line
     */
    static Faults parseFaults(String line) {
        String[] rest = fieldsAfterName(line);
        try {
            return new Faults(Long.parseLong(rest[7]), Long.parseLong(rest[9]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad stat line: " + line, e);
        }
    }

    /** A {@code stat} line's fields from the 3rd (state) on; at least up to the 15th (stime). */
    private static String[] fieldsAfterName(String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 0 || close < open) {
            throw new IllegalArgumentException("not a stat line: " + line);
        }
        String[] rest = SPACES.split(line.substring(close + 1).trim(), -1);
        if (rest.length < 13) {
            throw new IllegalArgumentException("short stat line: " + line);
        }
        return rest;
    }

    /**
     * The CPU time of the process and of each live thread at one moment.
     *
     * @param processTicks the whole process's (threads that have ended included)
     * @param threads each live thread's, by thread id
     * @param stealTicks the machine's <em>steal</em> time so far ({@code /proc/stat}): time its virtual CPUs
     *     were ready to run but the hypervisor ran something else — every thread stalls then, whatever
     *     it does; -1 where unknown
     * @param faults the process's page faults so far
     */
    record CpuSnapshot(long processTicks, Map<Integer, Task> threads, long stealTicks, Faults faults) {

        /**
         * Ticks spent since {@code earlier} by the threads whose name {@code names} accepts: threads that
         * started since count from zero; threads that ended since are lost (the collectors' threads live
         * as long as the JVM).
         */
        long ticksSince(CpuSnapshot earlier, Predicate<String> names) {
            long ticks = 0;
            for (Map.Entry<Integer, Task> e : threads.entrySet()) {
                Task now = e.getValue();
                if (names.test(now.name())) {
                    Task then = earlier.threads.get(e.getKey());
                    ticks += now.ticks() - (then == null ? 0 : then.ticks());
                }
            }
            return ticks;
        }
    }

    /** The CPU times now; an empty snapshot where there is no {@code /proc}. */
    static CpuSnapshot cpu() {
        try {
            String stat = Files.readString(SELF.resolve("stat"), StandardCharsets.UTF_8);
            long process = parseStat(stat).ticks();
            Map<Integer, Task> threads = new HashMap<>();
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(SELF.resolve("task"))) {
                for (Path task : tasks) {
                    try {
                        threads.put(Integer.parseInt(task.getFileName().toString()),
                                parseStat(Files.readString(task.resolve("stat"), StandardCharsets.UTF_8)));
                    } catch (IOException e) {
                        // the thread ended while the directory was read: its file is gone (ENOENT) or can no
                        // longer be read (ESRCH, "No such process"); the process's ticks still count it
                    }
                }
            }
            return new CpuSnapshot(process, threads, steal(), parseFaults(stat));
        } catch (IOException | RuntimeException e) {
            return new CpuSnapshot(0, Map.of(), -1, Faults.UNKNOWN);
        }
    }

    private static long steal() {
        try {
            return parseSteal(Files.readString(Path.of("/proc/stat"), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * The steal ticks of {@code /proc/stat} text: the eighth number of its {@code cpu} line (user, nice,
     * system, idle, iowait, irq, softirq, steal); -1 if the line has none.
     */
    static long parseSteal(String stat) {
        for (String line : stat.lines().toList()) {
            if (line.startsWith("cpu ")) {
                String[] fields = line.trim().split("\\s+");
                return fields.length > 8 ? Long.parseLong(fields[8]) : -1;
            }
        }
        return -1;
    }

    /**
     * The resident set now and at its peak.
     *
     * @param residentBytes {@code VmRSS}
     * @param peakBytes {@code VmHWM}: the most the process has had resident since it started
     */
    record Resident(long residentBytes, long peakBytes) {}

    /**
     * Parses {@code /proc/self/status} text; a missing line reads -1.
     */
    static Resident parseStatus(String status) {
        long resident = -1;
        long peak = -1;
        for (String line : status.lines().toList()) {
            if (line.startsWith("VmRSS:")) {
                resident = kibibytes(line);
            } else if (line.startsWith("VmHWM:")) {
                peak = kibibytes(line);
            }
        }
        return new Resident(resident, peak);
    }

    private static long kibibytes(String line) {
        String[] words = SPACES.split(line.substring(line.indexOf(':') + 1).trim(), -1);
        return Long.parseLong(words[0]) * 1024;
    }

    /** The resident set now; -1 for both where there is no {@code /proc}. */
    static Resident resident() {
        try {
            return parseStatus(Files.readString(SELF.resolve("status"), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return new Resident(-1, -1);
        }
    }
}
