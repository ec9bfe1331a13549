package org.mm4j.app.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.mm4j.heap.GarbageCollector;
import org.mm4j.heap.GarbageCollector.CollectionEvent;

/**
 * mm4j's collections as {@code mm4j bench gc} measures them, from the collector's events: each pause
 * ({@link CollectionPauses}: a minor or full collection's STOP, a cycle's PAUSE events) into a histogram,
 * the minor and major collections counted apart, and the CPU time the program's own threads spent
 * collecting.
 *
 * <p>A minor or full collection runs on the thread that needed it and both its events fire on that
 * thread: the thread's CPU time ({@link ThreadMXBean}) between the START and the STOP event is the
 * collection's CPU. A cycle's pauses that run on a program thread (assists that end marking, sweep
 * slices) have no START: their length is counted as CPU, as is the time program threads spent assisting
 * marking outside pauses ({@link GarbageCollector#assistNanos}, see {@link #countAssists}). Each pause is
 * also kept in a log ({@link #pauseLog}), with its kind.
 * Events on mm4j's own collector threads (named {@link CollectorThreads#MM4J_PREFIX}…) are not timed here:
 * their threads' CPU is read from {@code /proc} with the JVM's collector threads'. Only events while
 * recording count.
 */
final class CollectionRecorder implements Consumer<CollectionEvent> {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<Thread, Long> cpuAtStart = new HashMap<>();
    private final Histogram pauses = Latencies.histogram();
    private final Histogram stops = Latencies.histogram();
    private final CollectionPauses kinds = new CollectionPauses();
    private boolean recording;
    private long minor;
    private long major;
    private long cpuNanos;
    private GarbageCollector gc;
    private long assistsAtStart;
    private long assistNanos;
    private long stopsGivenUp;
    /**
     * Kinds of pause, for {@link #pauseMax}: a minor collection, an old-generation PAUSE (a cycle's or an
     * evacuation step), a full collection.
     */
    static final int MINOR = 0;
    static final int OLD_PAUSE = 1;
    static final int FULL = 2;
    /**
     * The minor collection that started a cycle (counted among {@link #MINOR} too): its STOP is followed
     * by the cycle's START, whose first PAUSE tells a cycle from a full collection.
     */
    static final int STARTING_MINOR = 3;
    private final long[] maxByKind = new long[4];
    private long givenUpAtStart;
    /**
     * Where in {@link #log} the last minor collection's pause is while the old generation's last START is
     * unresolved, or -1; and that of the minor collection that may have started a cycle (a cycle's if a PAUSE
     * of the old generation comes before its STOP), or -1.
     */
    private int lastMinorAt = -1;
    private int startingMinorAt = -1;
    /** Every pause while recording, in order. */
    private final List<Pause> log = new ArrayList<>();

    /**
     * A pause as the log of pauses lists it: when its event reached the recorder ({@link System#nanoTime},
     * right after the pause, or after the collection lock was let go), its kind ({@code minor},
     * {@code minor-starting-cycle}, {@code old}, {@code full}, {@code scopes}), its length and its time to
     * stop the program, in nanoseconds; a pause that gave up stopping the program has its length all
     * stopping.
     */
    record Pause(long endNanos, String kind, long pauseNanos, long stopNanos) {}

    @Override
    public synchronized void accept(CollectionEvent event) {
        Thread current = Thread.currentThread();
        boolean timed = !CollectorThreads.isMm4jCollector(current.getName());
        long pause = kinds.pauseOf(event);
        switch (event.phase()) {
            case START -> {
                if (event.generation() == GarbageCollector.OLD) {
                    startingMinorAt = lastMinorAt;
                }
                lastMinorAt = -1;
                if (timed) { // a cycle's START is overwritten by the thread's next collection's
                    cpuAtStart.put(current, threads.getCurrentThreadCpuTime());
                }
            }
            case STOP -> {
                Long start = cpuAtStart.remove(current);
                lastMinorAt = -1;
                if (event.generation() == GarbageCollector.OLD) {
                    startingMinorAt = -1;
                }
                if (recording) {
                    if (event.generation() == GarbageCollector.YOUNG) {
                        minor++;
                    } else {
                        major++;
                    }
                    if (pause >= 0) { // a minor or full collection, whose START this thread fired
                        Latencies.record(pauses, pause);
                        int kind = event.generation() == GarbageCollector.YOUNG ? MINOR : FULL;
                        maxByKind[kind] = Math.max(maxByKind[kind], pause);
                        Latencies.record(stops, event.stopNanos());
                        lastMinorAt = kind == MINOR ? log.size() : -1;
                        log.add(new Pause(System.nanoTime(), kind == MINOR ? "minor" : "full", pause, event.stopNanos()));
                        if (timed && start != null) {
                            cpuNanos += threads.getCurrentThreadCpuTime() - start;
                        }
                    }
                }
            }
            case PAUSE -> {
                if (recording) {
                    Latencies.record(pauses, pause);
                    Latencies.record(stops, event.stopNanos());
                    boolean old = event.generation() == GarbageCollector.OLD;
                    log.add(new Pause(System.nanoTime(), old ? "old" : "scopes", pause, event.stopNanos()));
                    if (old) {
                        maxByKind[OLD_PAUSE] = Math.max(maxByKind[OLD_PAUSE], pause);
                        if (startingMinorAt >= 0) {
                            Pause p = log.get(startingMinorAt);
                            maxByKind[STARTING_MINOR] = Math.max(maxByKind[STARTING_MINOR], p.pauseNanos());
                            log.set(startingMinorAt, new Pause(p.endNanos(), "minor-starting-cycle", p.pauseNanos(),
                                    p.stopNanos()));
                            startingMinorAt = -1;
                        }
                    }
                    if (timed) {
                        cpuNanos += pause;
                    }
                }
            }
        }
    }

    /** Counts {@code gc}'s assists while recording: the heap whose events this recorder is given. */
    synchronized void countAssists(GarbageCollector gc) {
        this.gc = gc;
    }

    /** Records the collections that end from now on, or stops recording. */
    synchronized void record(boolean on) {
        if (gc != null && on != recording) {
            long assists = gc.assistNanos();
            cpuNanos += on ? 0 : assists - assistsAtStart;
            assistNanos += on ? 0 : assists - assistsAtStart;
            assistsAtStart = assists;
            long givenUp = gc.stopsGivenUp();
            stopsGivenUp += on ? 0 : givenUp - givenUpAtStart;
            givenUpAtStart = givenUp;
        }
        recording = on;
    }

    /** The pauses recorded, in order. */
    synchronized List<Pause> pauseLog() {
        return List.copyOf(log);
    }

    synchronized Latencies.Summary pauses() {
        return Latencies.Summary.of(pauses);
    }

    /** A copy of the pause histogram. */
    synchronized Histogram pauseHistogram() {
        return pauses.copy();
    }

    /** A copy of the histogram of each pause's time to stop the program ({@link CollectionEvent#stopNanos}). */
    synchronized Histogram stopHistogram() {
        return stops.copy();
    }

    /** Pauses that gave up stopping the program while recording ({@link GarbageCollector#stopsGivenUp}). */
    synchronized long stopsGivenUp() {
        return stopsGivenUp;
    }

    /**
     * The longest pause of {@code kind} ({@link #MINOR}, {@link #STARTING_MINOR}, {@link #OLD_PAUSE},
     * {@link #FULL}) while recording,
     * in ns; 0 if none.
     */
    synchronized long pauseMax(int kind) {
        return maxByKind[kind];
    }

    synchronized long minorCollections() {
        return minor;
    }

    synchronized long majorCollections() {
        return major;
    }

    /**
     * Time the program's threads spent helping a cycle outside pauses while recording: marking assists
     * and sweep steps on allocating threads ({@link GarbageCollector#assistNanos}); part of {@link #cpuNanos}.
     */
    synchronized long assistNanos() {
        return assistNanos;
    }

    /** CPU time of the mutator threads inside the recorded collections. */
    synchronized long cpuNanos() {
        return cpuNanos;
    }
}
