package org.mm4j.internal.heap;

import java.lang.ref.Cleaner;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.mm4j.internal.heap.Globals.Drop;
import org.mm4j.heap.GlobalHandle;
import org.mm4j.heap.WeakGlobal;

/**
 * Java-side global handles. Each registers a {@link Cleaner} action that captures only the slot number
 * and its generation and the heap's drop queue — never the handle itself — so that a handle the
 * program forgets is collected by the JVM and its slot dropped at mm4j's next collection. {@link #close}
 * frees the slot at once and retires the Cleaner action (its queued request then names a slot
 * generation that has moved on, and is ignored).
 */
public final class GlobalHandleImpl implements GlobalHandle {
    static final Cleaner CLEANER = Cleaner.create();

    private final HeapImpl heap;
    private final int slot;
    private final int generation;
    private final Cleaner.Cleanable cleanable;

    GlobalHandleImpl(HeapImpl heap, int slot) {
        this.heap = heap;
        this.slot = slot;
        this.generation = heap.globals.strongGeneration(slot);
        this.cleanable = CLEANER.register(this, new Enqueue(heap.globals.dropped, new Drop(false, slot, generation)));
    }

    /** Queues a slot for release; captures no handle object. */
    private record Enqueue(ConcurrentLinkedQueue<Drop> queue, Drop drop) implements Runnable {
        @Override
        public void run() {
            queue.add(drop);
        }
    }

    @Override
    public long get() {
        return heap.globalGet(slot, generation);
    }

    @Override
    public void close() {
        heap.globals.removeStrong(slot, generation);
        cleanable.clean();
    }

    /** A weak global. */
    public static final class Weak implements WeakGlobal {
        private final HeapImpl heap;
        private final int slot;
        private final int generation;
        private final Cleaner.Cleanable cleanable;

        Weak(HeapImpl heap, int slot) {
            this.heap = heap;
            this.slot = slot;
            this.generation = heap.globals.weakGeneration(slot);
            this.cleanable = CLEANER.register(this, new Enqueue(heap.globals.dropped, new Drop(true, slot, generation)));
        }

        @Override
        public long get() {
            return heap.weakGet(slot, generation);
        }

        @Override
        public boolean isCleared() {
            return heap.globals.isWeakCleared(slot, generation);
        }

        @Override
        public void close() {
            heap.globals.removeWeak(slot, generation);
            cleanable.clean();
        }
    }
}
