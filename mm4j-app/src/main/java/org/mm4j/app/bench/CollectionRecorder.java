package org.mm4j.app.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.mm4j.heap.GarbageCollector;
import org.mm4j.heap.GarbageCollector.CollectionEvent;

/**
 * mm4j's collections as {@code mm4j bench gc} measures them, from the collector's events: each
 * collection's pause ({@link CollectionEvent#pauseNanos()} of its STOP event) into a histogram, the
 * minor and major ones counted apart, and the CPU time the threads that ran them spent in them.
 *
 * <p>A collection runs on the mutator thread that needed it (mm4j's collector is stop-the-world today),
 * and both its events fire on that thread: the thread's CPU time ({@link ThreadMXBean}) between the
 * START and the STOP event is the collection's CPU. Events on mm4j's own collector threads (named
 * {@link CollectorThreads#MM4J_PREFIX}…, when it has some) are not timed here: their threads' CPU is
 * read from {@code /proc} with the JVM's collector threads'. Only collections that end while recording
 * count.
 */
final class CollectionRecorder implements Consumer<CollectionEvent> {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<Thread, Long> cpuAtStart = new HashMap<>();
    private final Histogram pauses = Latencies.histogram();
    private boolean recording;
    private long minor;
    private long major;
    private long cpuNanos;

    @Override
    public synchronized void accept(CollectionEvent event) {
        Thread current = Thread.currentThread();
        boolean timed = !CollectorThreads.isMm4jCollector(current.getName());
        if (event.phase() == CollectionEvent.Phase.START) {
            if (timed) {
                cpuAtStart.put(current, threads.getCurrentThreadCpuTime());
            }
            return;
        }
        Long start = cpuAtStart.remove(current);
        if (!recording) {
            return;
        }
        Latencies.record(pauses, event.pauseNanos());
        if (event.generation() == GarbageCollector.YOUNG) {
            minor++;
        } else {
            major++;
        }
        if (timed && start != null) {
            cpuNanos += threads.getCurrentThreadCpuTime() - start;
        }
    }

    /** Records the collections that end from now on, or stops recording. */
    synchronized void record(boolean on) {
        recording = on;
    }

    synchronized Latencies.Summary pauses() {
        return Latencies.Summary.of(pauses);
    }

    /** A copy of the pause histogram. */
    synchronized Histogram pauseHistogram() {
        return pauses.copy();
    }

    synchronized long minorCollections() {
        return minor;
    }

    synchronized long majorCollections() {
        return major;
    }

    /** CPU time of the mutator threads inside the recorded collections. */
    synchronized long cpuNanos() {
        return cpuNanos;
    }
}
