package org.mm4j.app.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The systems {@code mm4j bench gc} compares, each run in a JVM of its own: mm4j's heap, and the same
 * workload as Java objects under each of the JVM's low-pause and default collectors.
 */
@SuppressWarnings("ImmutableEnumChecker") // its lists are List.of's, unmodifiable
enum GcSystem {
    MM4J("mm4j", "the workload in an mm4j heap (off the Java heap), mm4j's collector", List.of()),
    JVM_G1("jvm-g1", "the workload as Java objects, G1", List.of("-XX:+UseG1GC")),
    JVM_ZGC("jvm-zgc", "the workload as Java objects, ZGC (generational)", List.of("-XX:+UseZGC")),
    JVM_SHENANDOAH("jvm-shenandoah", "the workload as Java objects, Shenandoah", List.of("-XX:+UseShenandoahGC"));

    /**
     * The Java heap of the mm4j system's JVM. The records are in mm4j's heap; this holds the benchmark's
     * own objects (histograms, the threads' state) and what mm4j keeps on the Java heap (marking and
     * remembered-set stacks, the old space's page descriptors). Its collector is G1, named so that the JVM does not pick
     * another on a small machine. The resident set counts what of it is touched, as it counts the JVM
     * systems' heaps. (At 2 GiB live a 256 MiB heap was worse than this: fewer but longer G1 pauses.)
     */
    static final long MM4J_JAVA_HEAP_BYTES = 64L << 20;

    final String id;
    final String description;
    private final List<String> collectorOptions;

    GcSystem(String id, String description, List<String> collectorOptions) {
        this.id = id;
        this.description = description;
        this.collectorOptions = collectorOptions;
    }

    boolean isMm4j() {
        return this == MM4J;
    }

    /** The system named {@code id}, or null. */
    static GcSystem byId(String id) {
        for (GcSystem s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        return null;
    }

    /** The JVM options that select this system's collector (none for mm4j). */
    List<String> collectorOptions() {
        return collectorOptions;
    }

    /**
     * The options of this system's JVM: its collector and heap — for the JVM systems a fixed heap of
     * {@code heapBytes} ({@code -Xms} = {@code -Xmx}), for mm4j a small Java heap and native access (mm4j's
     * own heap gets {@code heapBytes} as its limit).
     */
    List<String> jvmOptions(long heapBytes) {
        List<String> options = new ArrayList<>();
        long javaHeap = isMm4j() ? MM4J_JAVA_HEAP_BYTES : heapBytes;
        if (isMm4j()) {
            options.add("--enable-native-access=ALL-UNNAMED");
            options.add("-XX:+UseG1GC");
        } else {
            options.addAll(collectorOptions);
        }
        String size = javaHeap % (1L << 20) == 0 ? (javaHeap >> 20) + "m" : Long.toString(javaHeap);
        options.add("-Xms" + size);
        options.add("-Xmx" + size);
        return options;
    }

    /** The option that has a JVM write its safepoint log to {@code file}, without rotation. */
    static String safepointLogOption(Path file) {
        return "-Xlog:safepoint=info:file=" + file + ":uptimenanos:filecount=0";
    }
}
