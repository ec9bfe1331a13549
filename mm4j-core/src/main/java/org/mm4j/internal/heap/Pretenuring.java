package org.mm4j.internal.heap;

import java.util.Arrays;

/**
 * Pretenuring by type: a type whose young objects nearly all survive their first minor collection is
 * allocated in the old space directly, as large objects are. Copying such objects out of eden (and
 * promoting them) is most of a minor collection's pause where a program builds or replaces long-lived
 * data; allocated old, they cost a size-class allocation instead of a bump, and no copy.
 *
 * <p>Each minor collection counts, per type, the bytes of eden's objects and of those it copied out
 * ({@link #inEden}, {@link #survived}). A type with at least {@link #MIN_BYTES} in eden of which more than
 * {@link #SURVIVAL} survived, {@link #STREAK} collections in a row, is pretenured. Every {@link #PROBE}th
 * collection allocates every type young again for one interval, so that the next collection measures its
 * survival again (one good collection pretenures it again). The decisions are an array that mutators read
 * without synchronization: a stale read allocates one object where the last decision said not to, which
 * is only slower. Counting and deciding run with the world stopped.
 */
final class Pretenuring {
    static final double SURVIVAL = 0.9;
    static final long MIN_BYTES = 16 << 10;
    static final int STREAK = 4;
    static final int PROBE = 64;

    /** By type id: allocate old. A copy of {@link #decided}, published anew when a decision changes. */
    private volatile boolean[] pretenured = new boolean[0];
    private boolean[] decided = new boolean[64];
    private long[] edenBytes = new long[64];
    private long[] survivedBytes = new long[64];
    private int[] streak = new int[64];
    private int sinceProbe;

    /** Whether objects of the type with id {@code typeId} are allocated in the old space. */
    boolean isPretenured(int typeId) {
        boolean[] p = pretenured;
        return typeId < p.length && p[typeId];
    }

    /** An object of {@code bytes} of type {@code typeId} was in eden at a minor collection. */
    void inEden(int typeId, long bytes) {
        grow(typeId);
        edenBytes[typeId] += bytes;
    }

    /** An object of {@code bytes} of type {@code typeId} was copied out of eden by a minor collection. */
    void survived(int typeId, long bytes) {
        grow(typeId);
        survivedBytes[typeId] += bytes;
    }

    private void grow(int typeId) {
        if (typeId >= edenBytes.length) {
            int n = Math.max(typeId + 1, edenBytes.length * 2);
            edenBytes = Arrays.copyOf(edenBytes, n);
            survivedBytes = Arrays.copyOf(survivedBytes, n);
            streak = Arrays.copyOf(streak, n);
            decided = Arrays.copyOf(decided, n);
        }
    }

    /** At the end of a minor collection: decides from its counts, and starts the next interval's. */
    void collected() {
        boolean probe = ++sinceProbe >= PROBE;
        if (probe) {
            sinceProbe = 0;
        }
        boolean changed = false;
        for (int t = 0; t < edenBytes.length; t++) {
            if (edenBytes[t] >= MIN_BYTES) {
                streak[t] = survivedBytes[t] > SURVIVAL * edenBytes[t] ? streak[t] + 1 : 0;
            }
            boolean old = !probe && (decided[t] || streak[t] >= STREAK);
            if (probe && decided[t]) {
                streak[t] = STREAK - 1; // one good interval after the probe pretenures it again
            }
            changed |= old != decided[t];
            decided[t] = old;
            edenBytes[t] = 0;
            survivedBytes[t] = 0;
        }
        if (changed) {
            pretenured = decided.clone();
        }
    }
}
