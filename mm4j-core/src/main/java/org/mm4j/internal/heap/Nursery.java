package org.mm4j.internal.heap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.mm4j.internal.os.Mapping;
import org.mm4j.internal.os.NativeMemory;

/**
 * The young generation: one mapping split into eden (80 %) and two survivor spaces (10 % each).
 *
 * <pre>
 *   base                        edenEnd        survivor[0]     survivor[1]      end
 *   | eden: thread buffers (TLABs) |  survivor A    |  survivor B    |
 * </pre>
 *
 * Threads take allocation buffers from eden by atomically bumping {@link #edenTop}. A minor collection
 * copies eden's and the from-survivor's live objects into the to-survivor (or promotes them), then
 * empties eden and swaps the survivors. Eden and the from-survivor are walkable: every buffer is covered
 * by objects and, at its end, a filler.
 */
final class Nursery implements AutoCloseable {
    static final long TLAB_BYTES = 32 << 10;
    /** Objects above this size are allocated in the old space directly. */
    static final long MAX_YOUNG_OBJECT = 8 << 10;

    private static final VarHandle EDEN_TOP;

    static {
        try {
            EDEN_TOP = MethodHandles.lookup().findVarHandle(Nursery.class, "edenTop", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Mapping mapping;
    final long base;
    final long bytes;
    final long edenEnd;
    final long survivorBytes;
    private final long[] survivors = new long[2];
    /** Which survivor holds the objects that survived the last minor collection. */
    private int from;
    /** The end of the objects in the from-survivor. */
    long fromTop;
    @SuppressWarnings("unused") // through EDEN_TOP
    private volatile long edenTop;
    /**
     * The end of the part of eden handed out before a minor collection is due: the pacer shrinks eden
     * to bound minor collections' pauses ({@link Pacer#edenAfterMinor}). Written with the world stopped.
     */
    private volatile long edenLimit;

    Nursery(long requestedBytes) {
        long unit = 64 << 10;
        this.bytes = (requestedBytes + unit - 1) / unit * unit;
        this.mapping = NativeMemory.map(bytes, NativeMemory.PAGE_SIZE);
        this.base = mapping.address();
        long page = NativeMemory.PAGE_SIZE;
        this.survivorBytes = Math.max(page, bytes / 10 / page * page);
        this.edenEnd = base + bytes - 2 * survivorBytes;
        survivors[0] = edenEnd;
        survivors[1] = edenEnd + survivorBytes;
        this.edenTop = base;
        this.edenLimit = edenEnd;
        this.fromTop = survivors[0];
    }

    /** The bytes of eden handed out between minor collections. */
    long edenBytes() {
        return edenLimit - base;
    }

    /** Sets the bytes of eden handed out between minor collections; with the world stopped. */
    void setEdenBytes(long bytes) {
        long b = Math.max(TLAB_BYTES, Math.min(edenEnd - base, bytes / TLAB_BYTES * TLAB_BYTES));
        edenLimit = base + b;
    }

    /** A fresh buffer of {@link #TLAB_BYTES} in eden, or -1 when eden (up to its limit) is used up. Thread-safe. */
    long takeTlab() {
        while (true) {
            long top = (long) EDEN_TOP.getVolatile(this);
            if (edenLimit - top < TLAB_BYTES) {
                return -1;
            }
            if (EDEN_TOP.compareAndSet(this, top, top + TLAB_BYTES)) {
                return top;
            }
        }
    }

    /** The end of the buffers handed out in eden. */
    long edenTop() {
        return (long) EDEN_TOP.getVolatile(this);
    }

    boolean contains(long address) {
        return Long.compareUnsigned(address - base, bytes) < 0;
    }

    long fromBase() {
        return survivors[from];
    }

    long toBase() {
        return survivors[1 - from];
    }

    /** Whether {@code address} is in eden or the from-survivor: what a minor collection evacuates. */
    boolean inFromSpaces(long address) {
        return Long.compareUnsigned(address - base, edenEnd - base) < 0
                || Long.compareUnsigned(address - survivors[from], survivorBytes) < 0;
    }

    /** After a minor collection: eden empty, the to-survivor (filled up to {@code toTop}) becomes from. */
    void flip(long toTop) {
        from = 1 - from;
        fromTop = toTop;
        EDEN_TOP.setVolatile(this, base);
    }

    long usedBytes() {
        return edenTop() - base + fromTop - fromBase();
    }

    @Override
    public void close() {
        mapping.close();
    }
}
