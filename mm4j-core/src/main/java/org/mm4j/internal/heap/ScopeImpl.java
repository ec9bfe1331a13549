package org.mm4j.internal.heap;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.mm4j.alloc.BumpArena;
import org.mm4j.heap.Heap;
import org.mm4j.heap.Scope;
import org.mm4j.heap.Shared;
import org.mm4j.heap.SharedBuffer;
import org.mm4j.heap.Type;
import org.mm4j.heap.Unique;
import org.mm4j.heap.UniqueBuffer;
import org.mm4j.internal.heap.Globals.IntStack;

/**
 * A scope: a bump arena of its own (its region), the ids of the objects allocated in it, and an FFM
 * {@link Arena} — confined or shared like the scope — that the segments of its raw buffers are bound to.
 *
 * <p>Objects get handle-table entries marked SCOPED with the scope's number, so every access asks the
 * {@link ScopeRegistry} whether the scope is open and open to the calling thread. Closing marks the scope
 * closed (for a shared scope with the world stopped, so that no operation of another thread is half-way
 * through one of its objects), then closes the buffers' arena and unmaps the region: the cost depends on
 * the region's blocks, not on the objects. The ids go back to the table later ({@link ScopeRegistry}).
 *
 * <p>A confined scope's state is its thread's; a shared one's allocation state is guarded by the scope's
 * monitor. {@code closed} is volatile: the collector and other threads read it.
 */
public final class ScopeImpl implements Scope {
    /** Blocks of the region: the first 64 KiB, doubling to 16 MiB; larger requests get their own mapping. */
    private static final long FIRST_BLOCK = 64 << 10;
    private static final long LARGEST_BLOCK = 16 << 20;

    private final HeapImpl heap;
    private final ScopeImpl parent;
    private final int depth;
    /** The owner thread, or null for a shared scope. */
    private final Thread owner;
    /** The heap's count of scopes and handle scopes when this one opened: orders it among them. */
    final long openedAt;
    private final BumpArena region;
    private final Arena buffers;
    private final int number;
    private final IntStack ids = new IntStack();
    private final int[] reserved = new int[Mutator.ID_BATCH];
    private int reservedCount;
    private final AtomicInteger openChildren = new AtomicInteger();
    private final List<Owned.MemoryCore> ownedBuffers = new ArrayList<>();
    private long objects;
    private long bytes;
    private volatile boolean closed;

    ScopeImpl(HeapImpl heap, ScopeImpl parent, boolean shared, long openedAt) {
        this.heap = heap;
        this.parent = parent;
        this.depth = parent == null ? 1 : parent.depth + 1;
        this.owner = shared ? null : Thread.currentThread();
        this.openedAt = openedAt;
        this.region = BumpArena.builder().name(heap.name() + "/scope").budget(heap.config.budget())
                .initialBlockBytes(FIRST_BLOCK).maxBlockBytes(LARGEST_BLOCK).threadSafe(shared).build();
        this.buffers = shared ? Arena.ofShared() : Arena.ofConfined();
        this.number = heap.scopes.register(this);
        if (parent != null) {
            parent.openChildren.incrementAndGet();
        }
    }

    int number() {
        return number;
    }

    IntStack ids() {
        return ids;
    }

    int depth() {
        return depth;
    }

    /** Whether objects of this scope may refer to objects of {@code other}: it is this scope or encloses it. */
    boolean isWithin(ScopeImpl other) {
        ScopeImpl s = this;
        while (s != null && s.depth > other.depth) {
            s = s.parent;
        }
        return s == other;
    }

    /** Throws unless the calling thread may use the scope. */
    void checkThread() {
        if (owner != null && owner != Thread.currentThread()) {
            throw new WrongThreadException("scope of heap '" + heap.name() + "' is confined to thread "
                    + owner.getName() + "; open it with heap.openSharedScope() to use it from other threads");
        }
    }

    private void checkUsable() {
        checkThread();
        if (closed) {
            throw new IllegalStateException("scope of heap '" + heap.name() + "' is closed");
        }
    }

    @Override
    public Heap heap() {
        return heap;
    }

    @Override
    public Scope parent() {
        return parent;
    }

    @Override
    public boolean isShared() {
        return owner == null;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    // ------------------------------------------------------------------ objects

    @Override
    public long allocate(Type type) {
        Objects.requireNonNull(type, "type");
        if (type.isArray()) {
            throw new IllegalArgumentException(type.name() + " is an array type: use allocateArray");
        }
        return allocateObject(type, type.fixedBytes(), -1);
    }

    @Override
    public long allocateArray(Type type, int length) {
        HeapImpl.checkArray(type, length);
        return allocateObject(type, type.instanceBytes(length), length);
    }

    private long allocateObject(Type type, long size, int length) {
        checkThread();
        Mutator m = heap.enter();
        try {
            return allocateEntered(m, type, size, length);
        } finally {
            heap.exit(m);
        }
    }

    /**
     * Allocates an object; the caller is inside an operation (so a shared scope, which closes only with
     * the world stopped, stays open throughout once checked here).
     */
    long allocateEntered(Mutator m, Type type, long size, int length) {
        checkUsable();
        if (owner == null) {
            synchronized (this) {
                return allocateLocked(m, type, size, length);
            }
        }
        return allocateLocked(m, type, size, length);
    }

    /** Allocates one object; changes nothing if a limit is hit. */
    long allocateLocked(Mutator m, Type type, long size, int length) {
        if (reservedCount == 0) {
            reservedCount = heap.reserveIds(m, reserved);
        }
        long address = region.allocate(size, Long.BYTES).address(); // may throw: nothing changed yet
        int id = reserved[--reservedCount];
        long handle = heap.initObject(id, address, type, length, number);
        ids.push(id);
        objects++;
        bytes += size;
        return handle;
    }

    // ------------------------------------------------------------------ raw buffers

    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        return view(rawAddress(byteSize, byteAlignment), byteSize);
    }

    /** A zeroed block of the region (fresh mappings are zero, and a scope never reuses its region). */
    private long rawAddress(long byteSize, long byteAlignment) {
        checkUsable();
        Mutator m = heap.enter();
        try {
            checkUsable();
            if (owner == null) {
                synchronized (this) {
                    bytes += byteSize;
                    return region.allocate(byteSize, byteAlignment).address();
                }
            }
            long a = region.allocate(byteSize, byteAlignment).address();
            bytes += byteSize;
            return a;
        } finally {
            heap.exit(m);
        }
    }

    /** A segment over [address, address + bytes) of this scope's memory, closed with the scope. */
    MemorySegment view(long address, long bytes) {
        return MemorySegment.ofAddress(address).reinterpret(bytes, buffers, null);
    }

    @Override
    public long promote(long object) {
        checkUsable();
        return heap.promoteOutOf(this, parent, object);
    }

    // ------------------------------------------------------------------ ownership

    @Override
    public Unique allocateUnique(Type type) {
        Owned.ObjectCore core = ownedObject(type);
        return new Owned.UniqueObject(core, heap.table.handleOf(core.id));
    }

    @Override
    public Shared allocateShared(Type type) {
        Owned.ObjectCore core = ownedObject(type);
        return new Owned.SharedObject(core, heap.table.handleOf(core.id));
    }

    private Owned.ObjectCore ownedObject(Type type) {
        long handle = allocate(type);
        heap.markOwned(Heap.idOf(handle));
        return new Owned.ObjectCore(heap, Heap.idOf(handle), this, null);
    }

    @Override
    public UniqueBuffer uniqueBuffer(long byteSize) {
        return new Owned.UniqueMemory(ownedMemory(byteSize));
    }

    @Override
    public SharedBuffer sharedBuffer(long byteSize) {
        return Owned.SharedMemory.first(ownedMemory(byteSize));
    }

    private Owned.MemoryCore ownedMemory(long byteSize) {
        Owned.MemoryCore core = new Owned.MemoryCore(rawAddress(byteSize, Long.BYTES), byteSize, () -> { });
        synchronized (ownedBuffers) {
            ownedBuffers.add(core);
        }
        return core;
    }

    // ------------------------------------------------------------------ statistics and close

    @Override
    public long objectCount() {
        return objects;
    }

    @Override
    public long allocatedBytes() {
        return bytes;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        checkThread();
        if (openChildren.get() > 0) {
            throw new IllegalStateException("a scope nested in this one is still open: scopes close innermost first");
        }
        if (heap.isClosed()) { // the heap released its ids and budget; only the memory is left
            closed = true;
            releaseMemory();
            return;
        }
        if (!heap.closeScope(this)) {
            return; // another thread closed it first
        }
        release();
    }

    /** Marks the scope closed; called by the heap, with the world stopped for a shared scope. */
    boolean markClosed() {
        if (closed) {
            return false;
        }
        closed = true;
        return true;
    }

    /** After the scope is marked closed: releases its memory, unreserves ids, tells the registry. */
    private void release() {
        releaseMemory();
        for (int i = 0; i < reservedCount; i++) {
            heap.table.unreserve(reserved[i]);
        }
        reservedCount = 0;
        if (parent != null) {
            parent.openChildren.decrementAndGet();
        }
        heap.scopes.closed(this);
    }

    private void releaseMemory() {
        synchronized (ownedBuffers) {
            for (Owned.MemoryCore core : ownedBuffers) {
                core.release();
            }
        }
        buffers.close();
        region.close();
    }

    /** The innermost open scope from this one outwards, or null. */
    ScopeImpl openOrEnclosing() {
        ScopeImpl s = this;
        while (s != null && s.closed) {
            s = s.parent;
        }
        return s;
    }

    @Override
    public String toString() {
        return "Scope[" + heap.name() + " #" + number + (owner == null ? ", shared" : "") + (closed ? ", closed" : "")
                + ", " + objects + " objects]";
    }
}
