package org.mm4j.internal.heap;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.mm4j.heap.Shared;
import org.mm4j.heap.SharedBuffer;
import org.mm4j.heap.Unique;
import org.mm4j.heap.UniqueBuffer;

/**
 * Ownership types: uniquely owned and reference-counted objects and raw buffers.
 *
 * <p>An owned object carries the handle table's OWNED flag, which the write barrier refuses as a store's
 * target, so its owners are the only way to reach it and freeing it on the last close leaves no reference
 * behind. One in the collected heap lives in the old space and is a global root while owned (a dropped,
 * unclosed owner lets the collector free it, through the global root's {@link java.lang.ref.Cleaner}); one
 * in a scope lives in the scope's region, and closing its owner only makes its handles stale.
 *
 * <p>A buffer's segments are views over its memory bound to shared {@link Arena}s of their own: moving a
 * unique buffer closes the old view, and the last close of a buffer closes the view before the memory goes.
 * A scope closes the views of the buffers it holds before it releases its regions.
 */
public final class Owned {
    private Owned() {}

    /** An owned object and what frees it. */
    static final class ObjectCore {
        final HeapImpl heap;
        final int id;
        /** The scope the object is in, or null for the collected heap. */
        final ScopeImpl scope;
        /** The object's global root, for one in the collected heap. */
        final GlobalHandleImpl root;
        final AtomicInteger owners = new AtomicInteger(1);

        ObjectCore(HeapImpl heap, int id, ScopeImpl scope, GlobalHandleImpl root) {
            this.heap = heap;
            this.id = id;
            this.scope = scope;
            this.root = root;
        }

        void free() {
            heap.freeOwned(this);
        }
    }

    /** The owner of a unique object. Not thread-safe, like a Java object; move it to hand it over. */
    public static final class UniqueObject implements Unique {
        private final ObjectCore core;
        private final long handle;
        private boolean open = true;

        UniqueObject(ObjectCore core, long handle) {
            this.core = core;
            this.handle = handle;
        }

        private void checkOpen() {
            if (!open) {
                throw new IllegalStateException("this owner of object #" + core.id + " was moved or closed");
            }
        }

        @Override
        public long handle() {
            checkOpen();
            return handle;
        }

        @Override
        public Unique move() {
            checkOpen();
            long renewed = core.heap.renewOwned(core, handle); // throws before anything changes
            open = false;
            return new UniqueObject(core, renewed);
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                core.free();
            }
        }

        @Override
        public String toString() {
            return "Unique[#" + core.id + (open ? "" : ", closed") + "]";
        }
    }

    /**
     * One owner of something reference-counted: the count is shared by all owners; each closes once, and
     * the close that takes the count to 0 releases the thing.
     */
    private abstract static class CountedOwner {
        private final AtomicInteger count;
        private final AtomicBoolean open = new AtomicBoolean(true);

        CountedOwner(AtomicInteger count) {
            this.count = count;
        }

        /** Throws unless this owner is open (so the count is at least 1 and the thing alive). */
        final void checkOpen() {
            if (!open.get()) {
                throw new IllegalStateException("this owner is closed");
            }
        }

        /** Counts one more owner; this one must be open. */
        final void addOwner() {
            checkOpen();
            count.incrementAndGet();
        }

        public final int owners() {
            return count.get();
        }

        public final boolean isOpen() {
            return open.get();
        }

        public final void close() {
            if (open.compareAndSet(true, false) && count.decrementAndGet() == 0) {
                release();
            }
        }

        abstract void release();
    }

    /** One owner of a reference-counted object. */
    public static final class SharedObject extends CountedOwner implements Shared {
        private final ObjectCore core;
        private final long handle;

        SharedObject(ObjectCore core, long handle) {
            super(core.owners);
            this.core = core;
            this.handle = handle;
        }

        @Override
        public long handle() {
            checkOpen();
            return handle;
        }

        @Override
        public Shared share() {
            addOwner();
            return new SharedObject(core, handle);
        }

        @Override
        void release() {
            core.free();
        }

        @Override
        public String toString() {
            return "Shared[#" + core.id + ", owners " + owners() + (isOpen() ? "" : ", closed") + "]";
        }
    }

    /** Owned raw memory: where it is, how it is freed, and the views over it now open. */
    static final class MemoryCore {
        final long address;
        final long size;
        private final Runnable release;
        private final AtomicInteger owners = new AtomicInteger(1);
        private Arena view;
        private boolean released;

        MemoryCore(long address, long size, Runnable release) {
            this.address = address;
            this.size = size;
            this.release = release;
        }

        /** A new view, closing the previous one. */
        synchronized MemorySegment newView() {
            if (released) {
                throw new IllegalStateException("the buffer was released (its scope closed)");
            }
            closeView();
            view = Arena.ofShared();
            return MemorySegment.ofAddress(address).reinterpret(size, view, null);
        }

        private void closeView() {
            if (view != null && view.scope().isAlive()) {
                view.close();
            }
        }

        /** Closes the view and frees the memory, once. */
        synchronized void release() {
            if (!released) {
                released = true;
                closeView();
                release.run();
            }
        }
    }

    /** The owner of a unique buffer. */
    public static final class UniqueMemory implements UniqueBuffer {
        private final MemoryCore core;
        private final MemorySegment segment;
        private boolean open = true;

        UniqueMemory(MemoryCore core) {
            this.core = core;
            this.segment = core.newView();
        }

        private void checkOpen() {
            if (!open) {
                throw new IllegalStateException("this owner of a buffer was moved or closed");
            }
        }

        @Override
        public MemorySegment segment() {
            checkOpen();
            return segment;
        }

        @Override
        public UniqueBuffer move() {
            checkOpen();
            UniqueMemory next = new UniqueMemory(core); // closes this owner's view
            open = false;
            return next;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                core.release();
            }
        }
    }

    /** One owner of a reference-counted buffer. */
    public static final class SharedMemory extends CountedOwner implements SharedBuffer {
        private final MemoryCore core;
        private final MemorySegment segment;

        SharedMemory(MemoryCore core, MemorySegment segment) {
            super(core.owners);
            this.core = core;
            this.segment = segment;
        }

        static SharedMemory first(MemoryCore core) {
            return new SharedMemory(core, core.newView());
        }

        @Override
        public MemorySegment segment() {
            checkOpen();
            return segment;
        }

        @Override
        public SharedBuffer share() {
            addOwner();
            return new SharedMemory(core, segment);
        }

        @Override
        void release() {
            core.release();
        }
    }
}
