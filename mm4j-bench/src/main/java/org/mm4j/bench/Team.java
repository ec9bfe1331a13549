package org.mm4j.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed team of threads that run one task together, round by round: the calling thread is member 0,
 * {@code size - 1} platform threads started once are the others. {@link #run} returns when every member
 * has finished the round, so a JMH invocation that calls it measures the wall time of the whole round.
 *
 * <p>Between rounds the members spin briefly, then park. Publication: the task and everything the caller
 * wrote before {@link #run} are published by the volatile write of {@code round}; everything the members
 * wrote is published to the caller by their decrement of {@code pending}.
 */
final class Team implements AutoCloseable {
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private final int size;
    private final Thread[] members;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile IntConsumer task;
    private volatile Thread caller;
    private volatile int round;
    private volatile boolean closed;
    private volatile Throwable failure;

    Team(int size, String name) {
        if (size < 1) {
            throw new IllegalArgumentException("a team has at least one member: " + size);
        }
        this.size = size;
        this.members = new Thread[size - 1];
        for (int i = 1; i < size; i++) {
            int member = i;
            members[i - 1] = Thread.ofPlatform().daemon().name(name + "-" + i).start(() -> serve(member));
        }
    }

    int size() {
        return size;
    }

    /** Runs {@code task.accept(member)} on every member, the caller as member 0; returns when all are done. */
    void run(IntConsumer task) {
        this.task = task;
        this.caller = Thread.currentThread();
        pending.set(size - 1);
        round = round + 1; // volatile write: releases the task to the members
        for (Thread member : members) {
            LockSupport.unpark(member);
        }
        try {
            task.accept(0);
        } finally {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (pending.get() != 0) {
                pause(spinUntil);
            }
        }
        Throwable failed = failure;
        if (failed != null) {
            failure = null;
            throw new IllegalStateException("a team member failed", failed);
        }
    }

    private void serve(int member) {
        int seen = 0;
        while (true) {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (round == seen && !closed) {
                pause(spinUntil);
            }
            if (closed) {
                return;
            }
            seen = round;
            try {
                task.accept(member);
            } catch (Throwable t) {
                failure = t;
            }
            if (pending.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }
    }

    /** Spins until {@code spinUntil}, then parks briefly. */
    private static void pause(long spinUntil) {
        if (System.nanoTime() < spinUntil) {
            Thread.onSpinWait();
        } else {
            LockSupport.parkNanos(100_000);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread member : members) {
            LockSupport.unpark(member);
            try {
                member.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
