package org.mm4j.bench;

import org.mm4j.bench.peer.Peer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code xmalloc} (xmalloc-test): blocks of {@value #SIZE} bytes made by a pure producer and freed by a
 * pure consumer. With two threads, one allocates and writes blocks and passes them through a ring of
 * {@value #RING} to the other, which frees them: every free is a free by another thread. With one thread,
 * it allocates {@value #BURST} blocks, then frees them in the same order. A round is {@value #BLOCKS}
 * blocks; one operation is one block's allocation and free, and the score is wall time per block.
 */
@State(Scope.Thread)
public class XmallocBenchmark extends ThreadedBenchmark {
    static final int SIZE = 64;
    static final int RING = 1024;
    static final int BLOCKS = 32768;
    static final int BURST = 256;

    private Ring ring;

    @Setup(Level.Trial)
    public void setUp() {
        if (threads > 2) {
            throw new IllegalArgumentException("xmalloc runs with 1 or 2 threads: " + threads);
        }
        open("xmalloc", RING);
        ring = new Ring(0, RING);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        close();
    }

    @Benchmark
    @OperationsPerInvocation(BLOCKS)
    public void xmalloc() {
        team.run(threads == 1 ? this::alone : this::member);
    }

    private void member(int t) {
        if (t == 0) {
            produce(BLOCKS);
        } else {
            consume(BLOCKS);
        }
    }

    private void alone(int t) {
        for (int made = 0; made < BLOCKS; made += BURST) {
            produce(BURST);
            consume(BURST);
        }
    }

    private void produce(int blocks) {
        Peer p = peer;
        for (int i = 0; i < blocks; i++) {
            long position;
            for (int attempt = 0; (position = ring.claim()) < 0; attempt++) {
                Ring.idle(attempt);
            }
            int slot = ring.slotOf(position);
            p.allocate(slot, SIZE);
            p.write(slot, i);
            ring.publish(position);
        }
    }

    private void consume(int blocks) {
        Peer p = peer;
        int freed = 0;
        int attempt = 0;
        while (freed < blocks) {
            long end = ring.available();
            long position = ring.next();
            if (position == end) {
                Ring.idle(attempt++);
                continue;
            }
            for (; position < end; position++, freed++) {
                p.free(ring.slotOf(position));
            }
            ring.consume(end);
        }
    }
}
