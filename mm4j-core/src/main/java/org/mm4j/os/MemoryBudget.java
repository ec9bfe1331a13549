package org.mm4j.os;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * A hard limit on bytes taken from the operating system, shared by any number of allocators.
 *
 * <p>Allocators charge a budget when they commit memory (a page, a block, a large mapping) and release
 * the charge when the memory goes back to the OS, so the budget bounds committed memory, not the sum of
 * requested sizes. Budgets form a tree: a child charges itself and then every ancestor, and a request
 * succeeds only if every budget on the path has room. A failed request changes nothing.
 *
 * <p>Thread-safe and lock-free: {@code used} moves by compare-and-set, so the limit is never exceeded,
 * not even transiently. A request refused by an ancestor is undone on the budgets below it; until it
 * is, a concurrent request on the same path may see that much less room.
 */
public final class MemoryBudget {
    private static final VarHandle USED;
    private static final VarHandle PEAK;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            USED = lookup.findVarHandle(MemoryBudget.class, "used", long.class);
            PEAK = lookup.findVarHandle(MemoryBudget.class, "peak", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final long limit;
    private final MemoryBudget parent;
    @SuppressWarnings("unused") // accessed through USED
    private volatile long used;
    @SuppressWarnings("unused") // accessed through PEAK
    private volatile long peak;

    private MemoryBudget(String name, long limit, MemoryBudget parent) {
        this.name = Objects.requireNonNull(name, "name");
        if (limit <= 0) {
            throw new IllegalArgumentException("budget limit must be positive: " + limit);
        }
        this.limit = limit;
        this.parent = parent;
    }

    /** A root budget with the given limit in bytes. */
    public static MemoryBudget of(String name, long limitBytes) {
        return new MemoryBudget(name, limitBytes, null);
    }

    /** A root budget with no practical limit; it still counts used and peak bytes. */
    public static MemoryBudget unlimited(String name) {
        return new MemoryBudget(name, Long.MAX_VALUE, null);
    }

    /** A child whose charges also count against this budget (and its ancestors). */
    public MemoryBudget child(String childName, long limitBytes) {
        return new MemoryBudget(childName, limitBytes, this);
    }

    /**
     * Charges {@code bytes}, or throws without changing anything.
     *
     * @throws MemoryLimitExceededException if this budget or an ancestor has no room
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public void reserve(long bytes) {
        MemoryBudget failed = tryReserveOrFailing(bytes);
        if (failed != null) {
            throw new MemoryLimitExceededException(failed.name, bytes, failed.usedBytes(), failed.limit);
        }
    }

    /** Charges {@code bytes} if every budget on the path has room; returns whether it did. */
    public boolean tryReserve(long bytes) {
        return tryReserveOrFailing(bytes) == null;
    }

    /** Returns the budget that had no room, or null after charging the whole path. */
    private MemoryBudget tryReserveOrFailing(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative reservation: " + bytes);
        }
        for (MemoryBudget b = this; b != null; b = b.parent) {
            if (!b.tryReserveHere(bytes)) {
                for (MemoryBudget undo = this; undo != b; undo = undo.parent) {
                    undo.releaseHere(bytes);
                }
                return b;
            }
        }
        for (MemoryBudget b = this; b != null; b = b.parent) {
            b.raisePeak();
        }
        return null;
    }

    private boolean tryReserveHere(long bytes) {
        long current;
        long next;
        do {
            current = (long) USED.getVolatile(this);
            next = current + bytes;
            if (next > limit || next < 0) {
                return false;
            }
        } while (!USED.compareAndSet(this, current, next));
        return true;
    }

    /** Raises the peak to the current use; called once a whole path was charged, so a refused request leaves no peak. */
    private void raisePeak() {
        long now = (long) USED.getVolatile(this);
        long p;
        while (now > (p = (long) PEAK.getVolatile(this)) && !PEAK.compareAndSet(this, p, now)) {
            Thread.onSpinWait();
        }
    }

    /**
     * Returns a charge made earlier by {@link #reserve} or {@link #tryReserve}.
     *
     * @throws IllegalArgumentException if {@code bytes} is negative or more than is reserved
     */
    public void release(long bytes) {
        if (bytes < 0 || bytes > usedBytes()) {
            throw new IllegalArgumentException(
                    "cannot release " + bytes + " bytes from budget '" + name + "' holding " + usedBytes());
        }
        for (MemoryBudget b = this; b != null; b = b.parent) {
            b.releaseHere(bytes);
        }
    }

    private void releaseHere(long bytes) {
        USED.getAndAdd(this, -bytes);
    }

    /** The budget's name, used in messages. */
    public String name() {
        return name;
    }

    /** The limit in bytes ({@link Long#MAX_VALUE} when unlimited). */
    public long limitBytes() {
        return limit;
    }

    /** Bytes charged now. */
    public long usedBytes() {
        return (long) USED.getVolatile(this);
    }

    /** The most bytes ever charged at once. */
    public long peakBytes() {
        return (long) PEAK.getVolatile(this);
    }

    /** Bytes that could be charged now, considering the ancestors too. */
    public long availableBytes() {
        long available = Long.MAX_VALUE;
        for (MemoryBudget b = this; b != null; b = b.parent) {
            available = Math.min(available, b.limit - b.usedBytes());
        }
        return Math.max(0, available);
    }

    /** The parent budget, or null for a root. */
    public MemoryBudget parent() {
        return parent;
    }

    @Override
    public String toString() {
        return "MemoryBudget[" + name + ": " + usedBytes() + " of " + limit + " bytes]";
    }
}
