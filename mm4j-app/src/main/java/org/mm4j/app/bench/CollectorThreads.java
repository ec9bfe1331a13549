package org.mm4j.app.bench;

import org.mm4j.heap.GarbageCollector;

/**
 * Which threads of a process do a collector's work, by the names the kernel keeps ({@code comm}, cut at
 * 15 bytes), as HotSpot 25 names them:
 * <ul>
 *   <li>G1: {@code GC Thread#n} (parallel workers of the pauses), {@code G1 Conc#n} (concurrent marking),
 *       {@code G1 Refine#n} (remembered-set refinement), {@code G1 Main Marker}, {@code G1 Service};
 *   <li>ZGC: {@code ZWorkerYoung#n}, {@code ZWorkerOld#n}, {@code ZDriverMinor}, {@code ZDriverMajor},
 *       {@code ZDirector}, {@code ZStat}, {@code ZUnmapper}, {@code ZUncommitter#n}, and the
 *       {@code RuntimeWorker#n}s it starts;
 *   <li>Shenandoah: {@code Shenandoah GC Threads#n} and {@code Shenandoah Control Thread} (cut to
 *       {@code Shenandoah GC T} and {@code Shenandoah Cont}), and any other {@code Shenandoah…};
 *   <li>Parallel and Serial collectors (not measured here): {@code GC Thread#n}.
 * </ul>
 * The {@code VM Thread} runs every safepoint operation, the collectors' pauses among them, and also the
 * others; it is counted apart. mm4j's own collector threads are named {@code mm4j-collector-…}
 * ({@link GarbageCollector#THREAD_NAME_PREFIX}, exactly the 15 characters {@code /proc} keeps).
 */
final class CollectorThreads {
    /** The prefix of mm4j's collector threads' names. */
    static final String MM4J_PREFIX = GarbageCollector.THREAD_NAME_PREFIX;

    static final String VM_THREAD = "VM Thread";

    private CollectorThreads() {}

    /** Whether {@code name} is one of the JVM's garbage collector threads. */
    static boolean isJvmCollector(String name) {
        return name.startsWith("GC Thread#")
                || name.startsWith("G1 ")
                || name.startsWith("Shenandoah")
                || name.startsWith("RuntimeWorker#")
                || (name.length() > 1 && name.charAt(0) == 'Z' && Character.isUpperCase(name.charAt(1)));
    }

    /** Whether {@code name} is one of mm4j's collector threads. */
    static boolean isMm4jCollector(String name) {
        return name.startsWith(MM4J_PREFIX);
    }

    static boolean isVmThread(String name) {
        return name.equals(VM_THREAD);
    }
}
