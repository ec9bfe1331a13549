package org.mm4j.app.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads of one churn run: a {@link PacedLoop} per mutator and the {@link HiccupMeter}, all on one
 * schedule. Closing stops and joins them all, so that the workload (an mm4j heap) is closed only when no
 * thread uses it any more, whatever failed.
 */
final class ChurnThreads implements AutoCloseable {
    /** How often the waiting thread looks whether a mutator failed. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    final List<ChurnWorkload.Worker> workers = new ArrayList<>();
    final List<PacedLoop> loops = new ArrayList<>();
    final HiccupMeter meter;
    private final List<Thread> threads = new ArrayList<>();
    private final Thread meterThread;
    private final long startNanos;

    /**
     * The threads of {@code workload}, not started: each mutator draws from its own seed and does its
     * share of {@code rate}, warming up from {@code startNanos} and measured from {@code measureFromNanos}
     * to {@code endNanos}.
     */
    ChurnThreads(ChurnWorkload workload, long seed, double rate, long startNanos, long measureFromNanos,
            long endNanos) {
        int count = workload.shape().threads();
        for (int t = 0; t < count; t++) {
            ChurnWorkload.Worker worker = workload.worker(t, new SplittableRandom(threadSeed(seed, t)));
            PacedLoop loop = new PacedLoop(worker, rate / count, startNanos, measureFromNanos, endNanos);
            workers.add(worker);
            loops.add(loop);
            threads.add(Thread.ofPlatform().name("gc-bench-mutator-" + t).unstarted(loop));
        }
        meter = new HiccupMeter(workload::touch);
        meterThread = Thread.ofPlatform().name("gc-bench-meter").daemon().unstarted(meter);
        this.startNanos = startNanos;
    }

    /** Thread {@code t}'s seed: the run's seed mixed with the thread's number. */
    static long threadSeed(long seed, int thread) {
        return ChurnRecords.mix(seed + 1 + thread);
    }

    void start() {
        meterThread.start();
        threads.forEach(Thread::start);
    }

    /**
     * Sleeps until {@code deadline}, throwing as soon as a mutator failed.
     *
     * @throws IllegalStateException naming the mutator that failed and when, with its exception as cause
     */
    void awaitUntil(long deadline) {
        for (long now = System.nanoTime(); now < deadline; now = System.nanoTime()) {
            check();
            LockSupport.parkNanos(Math.min(deadline - now, POLL_NANOS));
        }
        check();
    }

    /** Waits for the mutators to reach their end, then stops the meter; throws if a mutator failed. */
    void finish() throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
        meter.stop();
        meterThread.join();
        check();
    }

    private void check() {
        for (int t = 0; t < loops.size(); t++) {
            PacedLoop loop = loops.get(t);
            if (loop.failure != null) {
                throw new IllegalStateException(String.format(Locale.ROOT, "mutator %d failed %.1f s into the churn",
                        t, (loop.failedAtNanos - startNanos) / 1e9), loop.failure);
            }
        }
    }

    /**
     * Stops every thread and waits for it, even when interrupted (the interrupt is kept): the workload
     * must not be closed under a running thread.
     */
    @Override
    public void close() {
        loops.forEach(PacedLoop::stop);
        meter.stop();
        boolean interrupted = false;
        List<Thread> all = new ArrayList<>(threads);
        all.add(meterThread);
        for (Thread t : all) {
            while (t.getState() != Thread.State.NEW) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
