package org.mm4j.internal.alloc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.mm4j.alloc.ObjectPool;
import org.mm4j.internal.Debug;

/**
 * Thread caches in front of a shared bounded stack. A cache is touched only by its thread; the shared
 * stack and the registry of caches only under {@link #lock}. Caches of threads that ended are folded
 * into the totals (and their objects offered to the shared stack) when new caches register.
 */
public final class ObjectPoolImpl<T> implements ObjectPool<T> {

    /** One thread's idle objects and counters. */
    private static final class Cache {
        final Thread thread;
        final Object[] items;
        int size;
        long acquired;
        long created;
        long released;
        long dropped;

        Cache(Thread thread, int capacity) {
            this.thread = thread;
            this.items = new Object[capacity];
        }
    }

    private final String name;
    private final Supplier<? extends T> factory;
    private final Consumer<? super T> reset;
    private final int threadCacheSize;
    private final ReentrantLock lock = new ReentrantLock();
    private final Object[] shared;
    private int sharedSize;
    private final List<Cache> caches = new ArrayList<>();
    private final Cache sharedCounters = new Cache(null, 0);
    private final Set<Object> out = Debug.ENABLED ? Collections.newSetFromMap(new IdentityHashMap<>()) : null;
    private final ThreadLocal<Cache> cacheOfThread = ThreadLocal.withInitial(this::newCache);
    private volatile boolean closed;

    public ObjectPoolImpl(String name, Supplier<? extends T> factory, Consumer<? super T> reset, int maxIdle,
            int threadCacheSize) {
        this.name = Objects.requireNonNull(name);
        this.factory = Objects.requireNonNull(factory);
        this.reset = Objects.requireNonNull(reset);
        this.threadCacheSize = threadCacheSize;
        this.shared = new Object[maxIdle];
    }

    private Cache newCache() {
        Thread t = Thread.currentThread();
        if (t.isVirtual() || threadCacheSize == 0) {
            return sharedCounters;
        }
        Cache c = new Cache(t, threadCacheSize);
        lock.lock();
        try {
            for (Iterator<Cache> it = caches.iterator(); it.hasNext(); ) {
                Cache dead = it.next();
                if (!dead.thread.isAlive()) {
                    it.remove();
                    fold(dead);
                }
            }
            caches.add(c);
        } finally {
            lock.unlock();
        }
        return c;
    }

    /** Lock held: a dead thread's counters into the shared totals, its objects to the shared stack. */
    private void fold(Cache dead) {
        sharedCounters.acquired += dead.acquired;
        sharedCounters.created += dead.created;
        sharedCounters.released += dead.released;
        sharedCounters.dropped += dead.dropped;
        for (int i = 0; i < dead.size; i++) {
            if (sharedSize < shared.length) {
                shared[sharedSize++] = dead.items[i];
            }
            dead.items[i] = null;
        }
        dead.size = 0;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("object pool '" + name + "' is closed");
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public T acquire() {
        checkOpen();
        Cache c = cacheOfThread.get();
        T object;
        if (c == sharedCounters) {
            object = acquireShared();
        } else {
            if (c.size == 0) {
                refill(c);
            }
            if (c.size > 0) {
                object = (T) c.items[--c.size];
                c.items[c.size] = null;
                c.acquired++;
            } else {
                object = factory.get();
                c.acquired++;
                c.created++;
            }
        }
        if (Debug.ENABLED) {
            synchronized (out) {
                out.add(object);
            }
        }
        return object;
    }

    @SuppressWarnings("unchecked")
    private T acquireShared() {
        lock.lock();
        try {
            sharedCounters.acquired++;
            if (sharedSize > 0) {
                T object = (T) shared[--sharedSize];
                shared[sharedSize] = null;
                return object;
            }
            sharedCounters.created++;
        } finally {
            lock.unlock();
        }
        return factory.get();
    }

    /** Moves up to half a cache of idle objects from the shared stack. */
    private void refill(Cache c) {
        lock.lock();
        try {
            int n = Math.min(sharedSize, Math.max(1, c.items.length / 2));
            for (int i = 0; i < n; i++) {
                c.items[c.size++] = shared[--sharedSize];
                shared[sharedSize] = null;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void release(T object) {
        Objects.requireNonNull(object, "object");
        checkOpen();
        if (Debug.ENABLED) {
            synchronized (out) {
                if (!out.remove(object)) {
                    throw new IllegalArgumentException("object pool '" + name + "': " + object
                            + " is not out of this pool (released twice, or never acquired here)");
                }
            }
        }
        reset.accept(object);
        Cache c = cacheOfThread.get();
        if (c == sharedCounters) {
            lock.lock();
            try {
                sharedCounters.released++;
                if (sharedSize < shared.length) {
                    shared[sharedSize++] = object;
                } else {
                    sharedCounters.dropped++;
                }
            } finally {
                lock.unlock();
            }
            return;
        }
        c.released++;
        if (c.size == c.items.length) {
            spill(c);
        }
        c.items[c.size++] = object;
    }

    /** Moves half of a full cache to the shared stack; what does not fit is dropped. */
    private void spill(Cache c) {
        int n = Math.max(1, c.items.length / 2);
        lock.lock();
        try {
            for (int i = 0; i < n; i++) {
                Object o = c.items[--c.size];
                c.items[c.size] = null;
                if (sharedSize < shared.length) {
                    shared[sharedSize++] = o;
                } else {
                    c.dropped++;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public PoolStats stats() {
        lock.lock();
        try {
            long acquired = sharedCounters.acquired;
            long created = sharedCounters.created;
            long released = sharedCounters.released;
            long dropped = sharedCounters.dropped;
            for (Cache c : caches) {
                acquired += c.acquired;
                created += c.created;
                released += c.released;
                dropped += c.dropped;
            }
            return new PoolStats(acquired, created, released, dropped, sharedSize);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            java.util.Arrays.fill(shared, null);
            sharedSize = 0;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "ObjectPool[" + name + " " + stats() + "]";
    }
}
