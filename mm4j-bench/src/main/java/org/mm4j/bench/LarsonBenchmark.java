package org.mm4j.bench;

import java.util.concurrent.atomic.AtomicInteger;
import org.mm4j.bench.peer.Peer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code larson} (a server simulation): each of {@code threads} threads keeps {@value #LIVE} live blocks
 * of 8 B – 1 KiB and, per operation, replaces a random one with a new block of a new size. Every fourth
 * replaced block is not freed by its thread but handed to the next thread (a ring: thread t to t + 1 mod
 * threads), which frees it — a quarter of all frees come from another thread. With one thread the hand-off
 * goes to itself. A round is {@value #OPS} operations shared among the threads; the score is wall time per
 * operation over all threads (its inverse is the throughput).
 */
@State(Scope.Thread)
public class LarsonBenchmark extends ThreadedBenchmark {
    static final int LIVE = 1024;
    static final int RING = 1024;
    static final int OPS = 16384;
    /** Inboxes are drained every this many operations. */
    static final int DRAIN_EVERY = 16;
    /** Each thread starts its walk through the tables at its own offset. */
    static final int THREAD_OFFSET = 7919;

    private Ring[] inboxes;
    /** Each thread's position in the tables, 16 longs apart (no false sharing). */
    private int[] cursors;
    private final AtomicInteger finished = new AtomicInteger();

    @Setup(Level.Trial)
    public void setUp() {
        open("larson", threads * (LIVE + RING));
        inboxes = new Ring[threads];
        cursors = new int[threads * 16];
        for (int t = 0; t < threads; t++) {
            inboxes[t] = new Ring(threads * LIVE + t * RING, RING);
            cursors[t * 16] = t * THREAD_OFFSET;
        }
        team.run(this::fill);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        team.run(this::empty);
        close();
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void larson() {
        finished.set(0);
        team.run(this::member);
    }

    private void fill(int t) {
        for (int j = 0; j < LIVE; j++) {
            peer.allocate(t * LIVE + j, Sequences.LARSON_SIZES[(t * THREAD_OFFSET + Sequences.LENGTH / 2 + j) & Sequences.MASK]);
        }
    }

    private void empty(int t) {
        for (int j = 0; j < LIVE; j++) {
            peer.free(t * LIVE + j);
        }
    }

    private void member(int t) {
        Peer p = peer;
        int base = t * LIVE;
        Ring inbox = inboxes[t];
        Ring outbox = inboxes[(t + 1) % threads];
        int k = cursors[t * 16];
        for (int i = OPS / threads; i > 0; i--, k++) {
            if ((k & (DRAIN_EVERY - 1)) == 0) {
                drain(inbox);
            }
            int index = k & Sequences.MASK;
            int j = base + Sequences.PICKS_1024[index];
            if ((k & 3) == 3) {
                long position;
                for (int attempt = 0; (position = outbox.claim()) < 0; attempt++) {
                    drain(inbox);
                    Ring.idle(attempt);
                }
                p.move(j, outbox.slotOf(position));
                outbox.publish(position);
            } else {
                p.free(j);
            }
            p.allocate(j, Sequences.LARSON_SIZES[index]);
            p.write(j, k);
        }
        cursors[t * 16] = k;
        // Keep freeing what the others hand over until every thread is done, so none waits forever on a
        // full ring; after that nothing more arrives, and a last drain empties the inbox.
        finished.incrementAndGet();
        for (int attempt = 0; finished.get() < threads; attempt++) {
            if (!drain(inbox)) {
                Ring.idle(attempt);
            }
        }
        drain(inbox);
    }

    /** Frees every block waiting in {@code inbox}; false when it was empty. */
    private boolean drain(Ring inbox) {
        long end = inbox.available();
        long position = inbox.next();
        if (position == end) {
            return false;
        }
        for (; position < end; position++) {
            peer.free(inbox.slotOf(position));
        }
        inbox.consume(end);
        return true;
    }
}
