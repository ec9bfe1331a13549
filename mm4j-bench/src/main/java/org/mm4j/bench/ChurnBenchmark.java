package org.mm4j.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code churn}: mixed sizes (80 % 16–512 B, 18 % 512 B–16 KiB, 2 % 16–512 KiB) and mixed lifetimes, in
 * cycles, for the whole run; one thread. {@value #LONG} long-lived slots and a FIFO of {@value #SHORT}
 * short-lived ones. Each cycle (one invocation): <em>grow</em> — fill every empty long-lived slot, each
 * followed by one short-lived replacement; <em>steady</em> — {@value #STEADY} random replacements among the
 * long-lived; <em>shrink</em> — free three of every four long-lived blocks (slots whose index is not a
 * multiple of 4), leaving the survivors scattered. Every cycle walks the same size and pick tables from
 * their start. One operation is one allocation (and, sooner or later, its free); a cycle after the first
 * is {@value #OPS} of them.
 *
 * <p>At the end of the run (after a shrink) the benchmark reports through {@link MemoryReport}: live bytes
 * (requested sizes of the blocks still live), the allocator's committed bytes, and the process's RSS.
 */
@State(Scope.Thread)
public class ChurnBenchmark extends PeerBenchmark {
    static final int LONG = 4096;
    static final int SHORT = 64;
    static final int STEADY = 2 * LONG;
    static final int OPS = 2 * (LONG - LONG / 4) + STEADY;

    private final int[] sizes = new int[LONG + SHORT];
    private long liveBytes;
    private int cursor;
    private int shortCursor;
    private int pickCursor;
    private long residentAtStart;

    @Setup(Level.Trial)
    public void setUp() {
        peer = open(allocator, LONG + SHORT, "churn", 1, false);
        residentAtStart = MemoryReport.residentBytes();
        churn(); // the first cycle fills every slot; the measured ones refill three quarters
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        MemoryReport.record("churn", peer, 1, liveBytes, residentAtStart);
        peer.close();
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public void churn() {
        // Every cycle draws the same sizes and picks, so from the second cycle on every cycle is the same
        // and the memory left at the end does not depend on how many cycles ran: live bytes are equal for
        // every allocator (and the C program).
        cursor = 0;
        pickCursor = 0;
        shortCursor = 0;
        for (int j = 0; j < LONG; j++) {
            if (!peer.occupied(j)) {
                replace(j);
                replace(LONG + (shortCursor++ & (SHORT - 1)));
            }
        }
        for (int i = 0; i < STEADY; i++) {
            replace(Sequences.PICKS_4096[pickCursor++ & Sequences.MASK]);
        }
        for (int j = 0; j < LONG; j++) {
            if ((j & 3) != 0) {
                release(j);
            }
        }
    }

    /** Frees the block in {@code slot}, if any, and allocates a new one of the next size there. */
    private void replace(int slot) {
        release(slot);
        int size = Sequences.CHURN_SIZES[cursor++ & Sequences.MASK];
        peer.allocate(slot, size);
        peer.write(slot, size);
        sizes[slot] = size;
        liveBytes += size;
    }

    private void release(int slot) {
        if (peer.occupied(slot)) {
            peer.free(slot);
            liveBytes -= sizes[slot];
        }
    }
}
