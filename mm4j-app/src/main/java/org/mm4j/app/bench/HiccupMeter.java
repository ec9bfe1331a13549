package org.mm4j.app.bench;

import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.HdrHistogram.Histogram;

/**
 * A stall meter after Gil Tene's jHiccup: a thread that sleeps for 1 ms, does one trivial operation on
 * the system under test, and records how much longer than 1 ms that took. Whatever stops or slows the
 * process's threads — a collector's pause, an allocation stall, time to safepoint, the OS descheduling
 * it — shows as a hiccup; a platform that never stalls records only its timer slack. The values are
 * recorded with HdrHistogram's correction for the expected interval: a stall of 100 ms also records the
 * 99 ticks that could not happen in it (98 ms, 97 ms, …), as a meter ticking on time would have seen.
 *
 * <p>The operation ({@link ChurnWorkload#touch}) makes the meter a mutator of the system: on mm4j, a
 * heap operation, which a collection stops; on the JVM, any Java code stops at a safepoint.
 */
final class HiccupMeter implements Runnable {
    static final long RESOLUTION_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final IntSupplier touch;
    final Histogram hiccups = Latencies.histogram();
    private volatile boolean recording;
    private volatile boolean stopped;
    /** Keeps the operation's result, so that it is not optimized away. */
    @SuppressWarnings("unused")
    private int sink;

    HiccupMeter(IntSupplier touch) {
        this.touch = touch;
    }

    /** Records from now on, or stops recording. */
    void record(boolean on) {
        recording = on;
    }

    /** Ends the loop (the thread must then be joined before the histogram is read). */
    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        while (!stopped) {
            long start = System.nanoTime();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
            sink += touch.getAsInt();
            long hiccup = System.nanoTime() - start - RESOLUTION_NANOS;
            if (recording) {
                hiccups.recordValueWithExpectedInterval(Math.clamp(hiccup, 0, Latencies.HIGHEST_NANOS),
                        RESOLUTION_NANOS);
            }
        }
    }
}
