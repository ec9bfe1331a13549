package org.mm4j.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code bench gc}'s children read about themselves, on text captured from real JVMs (HotSpot 25):
 * safepoint logs of G1, ZGC and Shenandoah, and {@code /proc} stat and status files of a JVM under each.
 */
class GcLogParsingTest {

    static String resource(String name) throws IOException {
        try (InputStream in = GcLogParsingTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void g1SafepointsAreAllCollections() throws IOException {
        List<SafepointLog.Safepoint> safepoints = SafepointLog.parse(resource("safepoints-g1.log"));
        assertEquals(8, safepoints.size());
        assertEquals(new SafepointLog.Safepoint("G1CollectForAllocation", 6_961_099, 5_981), safepoints.get(0));
        assertEquals(Set.of("G1CollectForAllocation", "G1PauseRemark", "G1CollectFull"), operations(safepoints));
        assertTrue(safepoints.stream().allMatch(SafepointLog.Safepoint::isCollection), safepoints.toString());
    }

    @Test
    void zgcSafepointsAreCollectionsButTheMetaspaceCleanup() throws IOException {
        List<SafepointLog.Safepoint> safepoints = SafepointLog.parse(resource("safepoints-zgc.log"));
        assertEquals(8, safepoints.size());
        assertEquals(new SafepointLog.Safepoint("ZMarkStartYoungAndOld", 223_064, 152_683), safepoints.get(0));
        Map<Boolean, List<String>> byKind = safepoints.stream().collect(Collectors.partitioningBy(
                SafepointLog.Safepoint::isCollection,
                Collectors.mapping(SafepointLog.Safepoint::operation, Collectors.toList())));
        assertEquals(List.of("CleanClassLoaderDataMetaspaces"), byKind.get(false));
        assertEquals(Set.of("ZMarkStartYoungAndOld", "ZMarkEndYoung", "ZRelocateStartYoung", "ZMarkEndOld",
                "ZRelocateStartOld"), Set.copyOf(byKind.get(true)));
    }

    @Test
    void shenandoahSafepointsIncludeItsDegeneratedCollection() throws IOException {
        List<SafepointLog.Safepoint> safepoints = SafepointLog.parse(resource("safepoints-shenandoah.log"));
        assertEquals(8, safepoints.size());
        assertEquals(new SafepointLog.Safepoint("ShenandoahInitMark", 188_812, 136_434), safepoints.get(0));
        assertEquals(7, safepoints.stream().filter(SafepointLog.Safepoint::isCollection).count());
        assertTrue(operations(safepoints).contains("ShenandoahDegeneratedGC"));
        assertFalse(SafepointLog.Safepoint.isCollection("CleanClassLoaderDataMetaspaces"));
        assertFalse(SafepointLog.Safepoint.isCollection("HandshakeAllThreads"));
        assertFalse(SafepointLog.Safepoint.isCollection("Z"));
        assertTrue(SafepointLog.Safepoint.isCollection("CollectForMetadataAllocation"));
    }

    @Test
    void otherLinesAndALineCutShortAreSkipped() throws IOException {
        String g1 = resource("safepoints-g1.log");
        String first = g1.lines().findFirst().orElseThrow();
        String text = "[0.001s][info][gc] Using G1\n" + g1 + first.substring(0, first.indexOf("Total"));
        assertEquals(8, SafepointLog.parse(text).size());
    }

    @Test
    void readsTheSafepointsBetweenTwoOffsets(@TempDir Path directory) throws IOException {
        Path log = directory.resolve("safepoints.log");
        assertEquals(0, SafepointLog.offset(log), "no log yet");
        String g1 = resource("safepoints-g1.log");
        List<String> lines = g1.lines().toList();
        Files.writeString(log, lines.get(0) + "\n" + lines.get(1) + "\n", StandardCharsets.UTF_8);
        long from = SafepointLog.offset(log);
        Files.writeString(log, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        List<SafepointLog.Safepoint> later = SafepointLog.read(log, from, SafepointLog.offset(log));
        assertEquals(lines.size() - 2, later.size());
        assertEquals(SafepointLog.parse(lines.get(2)).getFirst(), later.getFirst());
    }

    private static Set<String> operations(List<SafepointLog.Safepoint> safepoints) {
        return safepoints.stream().map(SafepointLog.Safepoint::operation).collect(Collectors.toSet());
    }

    // ------------------------------------------------------------------ /proc

    /** The stat lines of a captured file: the process's first, then one per thread; then its status. */
    record Captured(ProcFiles.Task process, List<ProcFiles.Task> threads, String status) {
        static Captured of(String text) {
            String[] parts = text.split("----\n", 2);
            List<ProcFiles.Task> tasks = parts[0].lines().map(ProcFiles::parseStat).toList();
            return new Captured(tasks.getFirst(), tasks.subList(1, tasks.size()), parts[1]);
        }

        Set<String> names() {
            return threads.stream().map(ProcFiles.Task::name).collect(Collectors.toCollection(TreeSet::new));
        }

        Set<String> collectorThreads() {
            return threads.stream().map(ProcFiles.Task::name).filter(CollectorThreads::isJvmCollector)
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void aStatLineGivesTheNameAndUserPlusSystemTicks() throws IOException {
        Captured g1 = Captured.of(resource("proc-g1.txt"));
        assertEquals(new ProcFiles.Task("java", 298 + 102), g1.process());
        assertTrue(g1.threads().contains(new ProcFiles.Task("odd) name (x", 0)),
                "a name with parentheses and spaces ends at the last ')': " + g1.names());
        assertTrue(g1.names().contains("VM Thread"), g1.names().toString());
        assertThrows(IllegalArgumentException.class, () -> ProcFiles.parseStat("no parentheses 1 2 3"));
        assertThrows(IllegalArgumentException.class, () -> ProcFiles.parseStat("1 (java) S 1 2"));
    }

    @Test
    void eachCollectorsThreadsAreFoundByName() throws IOException {
        assertEquals(new TreeSet<>(Set.of("GC Thread#0", "GC Thread#1", "G1 Main Marker", "G1 Conc#0", "G1 Refine#0",
                "G1 Service")), Captured.of(resource("proc-g1.txt")).collectorThreads());
        Set<String> zgc = Captured.of(resource("proc-zgc.txt")).collectorThreads();
        assertTrue(zgc.containsAll(Set.of("ZWorkerYoung#0", "ZWorkerOld#0", "ZDriverMinor", "ZDriverMajor", "ZDirector",
                "ZStat", "RuntimeWorker#0")), zgc.toString());
        Set<String> shenandoah = Captured.of(resource("proc-shenandoah.txt")).collectorThreads();
        assertTrue(shenandoah.containsAll(Set.of("Shenandoah GC T", "Shenandoah Cont")), shenandoah.toString());
        for (String file : List.of("proc-g1.txt", "proc-zgc.txt", "proc-shenandoah.txt")) {
            Captured c = Captured.of(resource(file));
            for (String other : List.of("java", "VM Thread", "C2 CompilerThre", "C1 CompilerThre", "Reference Handl",
                    "Finalizer", "Signal Dispatch", "Service Thread", "Common-Cleaner", "odd) name (x")) {
                assertFalse(CollectorThreads.isJvmCollector(other), other);
            }
            assertTrue(c.names().contains("VM Thread"), file);
        }
        assertTrue(CollectorThreads.isMm4jCollector("mm4j-collector-gc-bench-0"));
        assertTrue(CollectorThreads.isMm4jCollector("mm4j-collector-")); // as /proc shows it: 15 characters
        assertFalse(CollectorThreads.isJvmCollector("mm4j-collector-"));
        assertFalse(CollectorThreads.isMm4jCollector("gc-bench-mutator-0"));
        assertFalse(CollectorThreads.isJvmCollector("gc-bench-meter"));
    }

    @Test
    void ticksSinceCountsNewThreadsFromZeroAndOnlyTheNamedOnes() {
        ProcFiles.CpuSnapshot before = new ProcFiles.CpuSnapshot(100, Map.of(
                1, new ProcFiles.Task("java", 50), 2, new ProcFiles.Task("GC Thread#0", 10),
                3, new ProcFiles.Task("ZStat", 1)), 0, ProcFiles.Faults.UNKNOWN);
        ProcFiles.CpuSnapshot after = new ProcFiles.CpuSnapshot(200, Map.of(
                1, new ProcFiles.Task("java", 120), 2, new ProcFiles.Task("GC Thread#0", 25),
                4, new ProcFiles.Task("GC Thread#1", 7)), 0, ProcFiles.Faults.UNKNOWN);
        assertEquals(15 + 7, after.ticksSince(before, CollectorThreads::isJvmCollector), "thread 3 ended: lost");
        assertEquals(70, after.ticksSince(before, "java"::equals));
    }

    @Test
    void aStatLineGivesThePageFaults() {
        String line = "4242 (odd) name (x) S 1 4242 4242 0 -1 4194560 1234 0 7 0 298 102 0 0 20 0 31 0";
        assertEquals(new ProcFiles.Faults(1234, 7), ProcFiles.parseFaults(line));
        assertEquals(new ProcFiles.Faults(1000, 2), new ProcFiles.Faults(2234, 9).since(ProcFiles.parseFaults(line)));
        assertEquals(ProcFiles.Faults.UNKNOWN, new ProcFiles.Faults(5, 0).since(ProcFiles.Faults.UNKNOWN));
        assertEquals(new ProcFiles.Task("odd) name (x", 298 + 102), ProcFiles.parseStat(line));
        assertThrows(IllegalArgumentException.class, () -> ProcFiles.parseFaults("1 (java) S 1 2"));
    }

    @Test
    void procStatGivesTheMachinesStealTicks() {
        String stat = "cpu  1036040 0 110634 732365 560 0 470 25810 0 0\n"
                + "cpu0 527250 0 56548 366267 151 0 181 12607 0 0\nintr 1 2 3\n";
        assertEquals(25810, ProcFiles.parseSteal(stat));
        assertEquals(-1, ProcFiles.parseSteal("cpu  1 2 3 4\n"), "an old kernel without steal");
        assertEquals(-1, ProcFiles.parseSteal("intr 1 2\n"));
    }

    @Test
    void statusGivesTheResidentSetAndItsPeak() throws IOException {
        ProcFiles.Resident resident = ProcFiles.parseStatus(Captured.of(resource("proc-g1.txt")).status());
        assertEquals(new ProcFiles.Resident(425_748L * 1024, 425_748L * 1024), resident);
        assertEquals(new ProcFiles.Resident(-1, -1), ProcFiles.parseStatus("Name:\tjava\n"));
    }

    @Test
    void thisProcessCanBeReadLive() {
        ProcFiles.CpuSnapshot cpu = ProcFiles.cpu();
        if (cpu.threads().isEmpty()) {
            return; // not Linux
        }
        assertTrue(cpu.threads().values().stream().anyMatch(t -> t.name().equals("VM Thread")), cpu.toString());
        assertTrue(ProcFiles.resident().residentBytes() > 0);
    }
}
