package org.mm4j.heap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ids {@code 1 .. limit} handed out once each, and the value published under each id, for lookups
 * without a lock. {@link Type}'s process-wide registry; a class of its own so that tests can run the
 * protocol with a small limit and values of their own.
 *
 * <p>Protocol. {@link #reserveId()} takes the next id from an atomic counter, which never passes the
 * limit, so ids are never reused and a refused request changes nothing. {@link #publish} then stores the
 * value in a slot array indexed by id, under a lock that writers alone take. The array starts small and
 * grows by copying (copy-on-grow): the copy is made under the lock, so it holds every value published
 * before it, and the new array is written to the volatile field {@link #slots} only after the new value
 * is in it. A value that fits the current array is stored in place with release semantics instead.
 * {@link #get} takes no lock: a volatile read of the array, then an acquire read of the slot.
 *
 * <p>What a reader sees. A thread that learned an id through any happens-before edge from the
 * {@code publish} of it (a volatile write, a lock, a thread start, a queue) sees the value: its read of
 * {@link #slots} returns the array of that publish or a later copy, and every later copy contains the
 * value. A reader that races with {@code publish} (it guessed the id) may see {@code null}, which is
 * correct as the id was not yet published when its read happened; when it sees the value, the acquire
 * read pairs with the release store (or the volatile write of a new array), so it sees the value whole.
 */
final class Registry<T> {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final int INITIAL_SLOTS = 64;

    private final int limit;
    private final AtomicInteger lastId = new AtomicInteger();
    private final Object publishLock = new Object();
    /** Index {@code id} holds the value of that id, or null before its publish; index 0 stays null. */
    private volatile Object[] slots;

    /** A registry of ids {@code 1 .. limit}, {@code limit} at least 1. */
    Registry(int limit) {
        if (limit < 1 || limit == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("registry limit out of range: " + limit);
        }
        this.limit = limit;
        this.slots = new Object[Math.min(INITIAL_SLOTS, limit + 1)];
    }

    /** The largest id. */
    int limit() {
        return limit;
    }

    /** The next unused id, or 0 if all {@link #limit()} ids are taken (and then nothing changes). */
    int reserveId() {
        while (true) {
            int last = lastId.get();
            if (last >= limit) {
                return 0;
            }
            if (lastId.compareAndSet(last, last + 1)) {
                return last + 1;
            }
        }
    }

    /** Publishes {@code value} under {@code id}, which {@link #reserveId()} returned and nobody published. */
    void publish(int id, T value) {
        synchronized (publishLock) {
            Object[] current = slots;
            if (id < current.length) {
                SLOT.setRelease(current, id, value);
            } else {
                int length = (int) Math.min(limit + 1L, Math.max(id + 1L, 2L * current.length));
                Object[] grown = Arrays.copyOf(current, length);
                grown[id] = value;
                slots = grown;
            }
        }
    }

    /** The value published under {@code id}, or null if there is none (yet). */
    @SuppressWarnings("unchecked") // only publish(int, T) stores into the slots
    T get(int id) {
        Object[] current = slots;
        return id > 0 && id < current.length ? (T) SLOT.getAcquire(current, id) : null;
    }
}
