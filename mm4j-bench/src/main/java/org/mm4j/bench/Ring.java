package org.mm4j.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The indices of a single-producer single-consumer ring of {@code capacity} slots (a power of two); the
 * blocks themselves sit in a peer's slots {@code base … base + capacity - 1}. The producer fills slot
 * {@link #slotOf}{@code (tail)} then {@link #publish}es; the consumer reads up to {@link #available} and
 * {@link #consume}s. Release/acquire on {@code tail} and {@code head} carry the blocks' handles across.
 * With one thread as both producer and consumer it is a plain FIFO.
 */
final class Ring {
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(Ring.class, "head", long.class);
            TAIL = lookup.findVarHandle(Ring.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final int base;
    private final int mask;
    // head and tail are on separate cache lines from each other and from the neighbours' fields.
    @SuppressWarnings("unused") private long p01, p02, p03, p04, p05, p06, p07;
    private long head;
    @SuppressWarnings("unused") private long p11, p12, p13, p14, p15, p16, p17;
    private long tail;
    @SuppressWarnings("unused") private long p21, p22, p23, p24, p25, p26, p27;
    /** The producer's last view of {@code head}; the consumer's of {@code tail} (each its own). */
    private long producerHead;
    @SuppressWarnings("unused") private long p31, p32, p33, p34, p35, p36, p37;
    private long consumerTail;

    Ring(int base, int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        this.base = base;
        this.mask = capacity - 1;
    }

    /** The peer slot of ring position {@code position}. */
    int slotOf(long position) {
        return base + (int) (position & mask);
    }

    /** Producer: the next free position, or -1 when the ring is full. */
    long claim() {
        long t = tail; // only the producer writes tail
        if (t - producerHead > mask) {
            producerHead = (long) HEAD.getAcquire(this);
            if (t - producerHead > mask) {
                return -1;
            }
        }
        return t;
    }

    /** Producer: makes the block put at {@code position} (from {@link #claim}) visible to the consumer. */
    void publish(long position) {
        TAIL.setRelease(this, position + 1);
    }

    /** Consumer: the position after the last published one (positions from {@link #next} up to it are readable). */
    long available() {
        long h = head;
        if (h == consumerTail) {
            consumerTail = (long) TAIL.getAcquire(this);
        }
        return consumerTail;
    }

    /** Consumer: the first position not yet consumed. */
    long next() {
        return head; // only the consumer writes head
    }

    /** Consumer: gives positions before {@code position} back to the producer. */
    void consume(long position) {
        HEAD.setRelease(this, position);
    }

    /**
     * Waits a little while the other side makes progress: a spin hint, and every 64th attempt a yield, so
     * that on a busy machine a waiting thread gives its core to the one it waits for.
     */
    static void idle(int attempt) {
        if ((attempt & 63) == 63) {
            Thread.yield();
        } else {
            Thread.onSpinWait();
        }
    }
}
