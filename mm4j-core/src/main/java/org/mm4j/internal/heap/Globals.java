package org.mm4j.internal.heap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Global roots (strong) and weak globals, in slots. Slots whose Java handle objects the JVM collected
 * unclosed arrive on {@link #dropped} from Cleaner actions and are freed at the next collection.
 * Guarded by the heap's operations: changed only inside them, read by the collector with the world
 * stopped; the slot arrays are changed under this object's lock. Reading a strong global ({@link
 * #strongId}, every {@code GlobalHandle.get()}) takes no lock: a program's threads may all start their
 * operations from one global root, and a lock there would make them wait for each other (and for a
 * thread descheduled while holding it).
 */
final class Globals {
    private static final java.lang.invoke.VarHandle SLOTS =
            java.lang.invoke.MethodHandles.arrayElementVarHandle(long[].class);

    /**
     * Strong slots: the generation in the high 32 bits, the object's id in the low ones (0 when free);
     * each slot's generation moves on when it is freed. Written under the lock with release stores (a
     * grown array is published through the volatile field after the copy); read with acquire loads.
     */
    private volatile long[] strong = new long[16];
    private int strongCount;
    private final IntStack freeStrong = new IntStack();
    /** Weak slots: full handles (0 when free or cleared) and callbacks. */
    private long[] weak = new long[16];
    private boolean[] weakUsed = new boolean[16];
    private int[] weakGen = new int[16];
    private Runnable[] callbacks = new Runnable[16];
    private int weakCount;
    private final IntStack freeWeak = new IntStack();
    /** Slots whose Java handles the JVM's collector found unreachable. */
    final ConcurrentLinkedQueue<Drop> dropped = new ConcurrentLinkedQueue<>();

    /** A slot of a given generation, to drop unless it was freed (and perhaps reused) meanwhile. */
    record Drop(boolean weak, int slot, int generation) {}

    synchronized int addStrong(int id) {
        int slot = freeStrong.isEmpty() ? strongCount++ : freeStrong.pop();
        long[] slots = strong;
        if (slot == slots.length) {
            slots = Arrays.copyOf(slots, slot * 2);
            strong = slots;
        }
        SLOTS.setRelease(slots, slot, strongSlot(generationOf(slots[slot]), id));
        return slot;
    }

    private static long strongSlot(int generation, int id) {
        return (long) generation << 32 | Integer.toUnsignedLong(id);
    }

    private static int generationOf(long slot) {
        return (int) (slot >>> 32);
    }

    synchronized int strongGeneration(int slot) {
        return generationOf(strong[slot]);
    }

    synchronized void removeStrong(int slot, int generation) {
        long[] slots = strong;
        long s = slots[slot];
        if ((int) s != 0 && generationOf(s) == generation) {
            SLOTS.setRelease(slots, slot, strongSlot(generation + 1, 0));
            freeStrong.push(slot);
        }
    }

    /** The object of strong slot {@code slot} of generation {@code generation}; no lock (see above). */
    int strongId(int slot, int generation) {
        long s = (long) SLOTS.getAcquire(strong, slot);
        if ((int) s == 0 || generationOf(s) != generation) {
            throw new IllegalStateException("global handle is closed");
        }
        return (int) s;
    }

    synchronized int addWeak(long handle, Runnable callback) {
        int slot = freeWeak.isEmpty() ? weakCount++ : freeWeak.pop();
        if (slot == weak.length) {
            weak = Arrays.copyOf(weak, slot * 2);
            weakUsed = Arrays.copyOf(weakUsed, slot * 2);
            weakGen = Arrays.copyOf(weakGen, slot * 2);
            callbacks = Arrays.copyOf(callbacks, slot * 2);
        }
        weak[slot] = handle;
        weakUsed[slot] = true;
        callbacks[slot] = callback;
        return slot;
    }

    synchronized int weakGeneration(int slot) {
        return weakGen[slot];
    }

    synchronized void removeWeak(int slot, int generation) {
        if (weakUsed[slot] && weakGen[slot] == generation) {
            weakUsed[slot] = false;
            weakGen[slot]++;
            weak[slot] = 0;
            callbacks[slot] = null;
            freeWeak.push(slot);
        }
    }

    synchronized long weakHandle(int slot, int generation) {
        if (!weakUsed[slot] || weakGen[slot] != generation) {
            throw new IllegalStateException("weak global handle is closed");
        }
        return weak[slot];
    }

    synchronized boolean isWeakCleared(int slot, int generation) {
        if (!weakUsed[slot] || weakGen[slot] != generation) {
            throw new IllegalStateException("weak global handle is closed");
        }
        return weak[slot] == 0;
    }

    /** Collector: frees the slots of Java handle objects the JVM collected unclosed. */
    void drainDropped() {
        Drop d;
        while ((d = dropped.poll()) != null) {
            if (d.weak()) {
                removeWeak(d.slot(), d.generation());
            } else {
                removeStrong(d.slot(), d.generation());
            }
        }
    }

    /** Collector: every strong root id. */
    synchronized void forEachStrong(java.util.function.IntConsumer action) {
        long[] slots = strong;
        for (int i = 0; i < strongCount; i++) {
            if ((int) slots[i] != 0) {
                action.accept((int) slots[i]);
            }
        }
    }

    /**
     * Collector, after a collection: clears weak globals whose objects died (per {@code stillLive}) and
     * returns their callbacks, to run once the world is running again.
     */
    synchronized List<Runnable> clearDead(java.util.function.LongPredicate stillLive) {
        List<Runnable> due = new ArrayList<>();
        for (int i = 0; i < weakCount; i++) {
            if (weakUsed[i] && weak[i] != 0 && !stillLive.test(weak[i])) {
                weak[i] = 0;
                if (callbacks[i] != null) {
                    due.add(callbacks[i]);
                    callbacks[i] = null;
                }
            }
        }
        return due;
    }

    synchronized long strongCount() {
        long n = 0;
        long[] slots = strong;
        for (int i = 0; i < strongCount; i++) {
            if ((int) slots[i] != 0) {
                n++;
            }
        }
        return n;
    }

    synchronized void close() {
        long[] slots = strong;
        for (int i = 0; i < slots.length; i++) {
            SLOTS.setRelease(slots, i, slots[i] & 0xFFFF_FFFF_0000_0000L); // every handle reads as closed
        }
        Arrays.fill(weak, 0);
        Arrays.fill(callbacks, null);
    }

    /** A growable stack of ints. */
    static final class IntStack {
        private int[] items = new int[16];
        private int size;

        void push(int value) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            items[size++] = value;
        }

        int pop() {
            return items[--size];
        }

        int peek() {
            return items[size - 1];
        }

        boolean isEmpty() {
            return size == 0;
        }

        int size() {
            return size;
        }

        int get(int i) {
            return items[i];
        }

        void clear() {
            size = 0;
        }

        /** The backing array: items [0, size()) are the stack's. */
        int[] items() {
            return items;
        }

        int[] toArray() {
            return Arrays.copyOf(items, size);
        }
    }

    /** A growable stack of longs (remembered-set entries). */
    static final class LongStack {
        private long[] items = new long[16];
        private int size;

        void push(long value) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            items[size++] = value;
        }

        int size() {
            return size;
        }

        long get(int i) {
            return items[i];
        }

        void clear() {
            size = 0;
        }

        /** Keeps the items that {@code keep} accepts, in order. */
        void retain(java.util.function.LongPredicate keep) {
            int kept = 0;
            for (int i = 0; i < size; i++) {
                if (keep.test(items[i])) {
                    items[kept++] = items[i];
                }
            }
            size = kept;
        }

        /** Sorts the items and drops repeated ones. */
        void sortDistinct() {
            size = Mutator.sortDistinct(items, size);
        }
    }
}
