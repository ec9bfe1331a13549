package org.mm4j.app.bench;

import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * One mutator thread of {@code mm4j bench gc}: runs its worker's operations at a steady rate from a start
 * time to an end time, and records the latency of each operation that was due in the measured part.
 *
 * <h2>Latency against the schedule</h2>
 * Operation {@code i} is due at {@code start + i / rate}. The thread waits (parks, never spins: a
 * spinning mutator would take the CPU a concurrent collector needs) until an operation is due and runs
 * it; when it is late — a pause stopped it, the previous operation was slow — it runs the operations it
 * owes back to back. An operation's <b>response time</b> is its end minus the time it was due, so a
 * stall of one second is seen by every operation that should have run in it, not by one (the correction
 * for coordinated omission of wrk2 and HdrHistogram's {@code recordValueWithExpectedInterval}). Its
 * <b>service time</b> is its end minus its own start. The response time's floor is the OS's timer slack
 * on a park (about 50–100 µs on Linux).
 *
 * <p>With a rate of 0 the loop is not paced: each operation starts when the previous one ends, its
 * response time is its service time, and the throughput is what the system can do.
 *
 * <p>The thread stops at the end time, even when it owes operations; those are counted as missed.
 */
final class PacedLoop implements Runnable {
    private final ChurnWorkload.Worker worker;
    private final double intervalNanos;
    private final long startNanos;
    private final long measureFromNanos;
    private final long endNanos;

    final Histogram response = Latencies.histogram();
    final Histogram service = Latencies.histogram();
    /** Operations due in the measured part that ran. */
    long measuredOperations;
    /** Operations due before the end that never ran: the thread could not keep up. */
    long missedOperations;
    /** All operations, warm-up included. */
    long operations;
    /** What stopped the loop, if it failed. */
    volatile Throwable failure;
    /** When it failed ({@link System#nanoTime()}). */
    volatile long failedAtNanos;
    private volatile boolean stopped;

    /**
     * @param ratePerSecond this thread's operations per second; 0 for as fast as it can
     * @param startNanos when the first operation is due ({@link System#nanoTime()})
     * @param measureFromNanos operations due from then on are measured (the ones before warm up)
     * @param endNanos no operation starts after this
     */
    PacedLoop(ChurnWorkload.Worker worker, double ratePerSecond, long startNanos, long measureFromNanos, long endNanos) {
        if (!(ratePerSecond >= 0)) {
            throw new IllegalArgumentException("rate must be 0 or positive: " + ratePerSecond);
        }
        this.worker = worker;
        this.intervalNanos = ratePerSecond == 0 ? 0 : 1e9 / ratePerSecond;
        this.startNanos = startNanos;
        this.measureFromNanos = measureFromNanos;
        this.endNanos = endNanos;
    }

    /** Ends the loop before its end time: after the current operation, or at once if it is waiting. */
    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        try {
            loop();
        } catch (RuntimeException | Error e) {
            failedAtNanos = System.nanoTime();
            failure = e;
        }
    }

    private void loop() {
        long now = System.nanoTime();
        while (now < startNanos && !stopped) {
            LockSupport.parkNanos(startNanos - now);
            now = System.nanoTime();
        }
        for (long i = 0; !stopped; i++) {
            long due = intervalNanos == 0 ? now : startNanos + (long) (i * intervalNanos);
            if (due >= endNanos || now >= endNanos) {
                if (intervalNanos != 0) {
                    missedOperations = Math.max(0, (long) ((endNanos - startNanos) / intervalNanos) - i);
                }
                return;
            }
            while (now < due && !stopped) {
                LockSupport.parkNanos(due - now);
                now = System.nanoTime();
            }
            if (stopped) {
                return;
            }
            long begin = intervalNanos == 0 ? now : System.nanoTime();
            worker.operate();
            now = System.nanoTime();
            operations++;
            if (due >= measureFromNanos) {
                measuredOperations++;
                Latencies.record(response, now - (intervalNanos == 0 ? begin : due));
                Latencies.record(service, now - begin);
            }
        }
    }
}
