package org.mm4j.internal.heap;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.mm4j.alloc.MemoryLeakException;
import org.mm4j.alloc.SizeClassAllocator;
import org.mm4j.heap.BooleanField;
import org.mm4j.heap.ByteField;
import org.mm4j.heap.BytesField;
import org.mm4j.heap.CharField;
import org.mm4j.heap.DoubleField;
import org.mm4j.heap.Field;
import org.mm4j.heap.FloatField;
import org.mm4j.heap.GarbageCollector;
import org.mm4j.heap.GlobalHandle;
import org.mm4j.heap.HandleScope;
import org.mm4j.heap.Heap;
import org.mm4j.heap.HandleSpaceExhaustedException;
import org.mm4j.heap.HeapStats;
import org.mm4j.heap.Scope;
import org.mm4j.heap.ScopeEscapeException;
import org.mm4j.heap.Shared;
import org.mm4j.heap.SharedBuffer;
import org.mm4j.heap.Unique;
import org.mm4j.heap.UniqueBuffer;
import org.mm4j.heap.IntField;
import org.mm4j.heap.Kind;
import org.mm4j.heap.Pin;
import org.mm4j.heap.LongField;
import org.mm4j.heap.RefField;
import org.mm4j.heap.ShortField;
import org.mm4j.heap.StaleHandleException;
import org.mm4j.heap.Type;
import org.mm4j.heap.WeakGlobal;
import org.mm4j.internal.alloc.SizeClassAllocatorImpl;
import org.mm4j.internal.os.NativeMemory;
import org.mm4j.os.MemoryLimitExceededException;

/**
 * The managed heap: a handle table, a nursery of thread allocation buffers, an old space on the
 * size-class allocator's address API, explicit roots, one write barrier, and a stop-the-world
 * generational collector ({@link Collector}).
 *
 * <h2>Reaching memory</h2>
 * Objects are read and written through {@link #VIEW}, one segment over the whole address space, at
 * addresses taken only from the handle table after the handle's generation was checked, plus offsets
 * checked against the object's type (a field of the object's own type, an index below the array's
 * length). The table, the headers and the spaces are written only by this package, so an address formed
 * this way is always inside a live object.
 *
 * <h2>Operations</h2>
 * Every public operation runs between {@link #enter} and {@link #exit} (see {@link Mutator} for the
 * protocol), so a collection, which moves and frees objects, never runs in the middle of one. Checks that
 * can fail come first in each operation; effects follow only when all passed.
 */
public final class HeapImpl implements Heap {
    /** Every byte of the process: objects are reached at checked addresses (see the class comment). */
    static final MemorySegment VIEW = NativeMemory.ALL;
    private static final int CACHE_SIZE = 256;
    static final long ARRAY_BASE = Type.HEADER_BYTES + Type.ARRAY_LENGTH_BYTES;
    /**
     * Objects above this size are the large-object space: the size-class allocator gives each a page of
     * whole units (to 2 MiB) or a mapping of its own, so none shares memory with another or is ever moved.
     */
    static final long MAX_SMALL_OBJECT = SizeClassAllocator.MAX_CLASS_BYTES;

    final HeapConfig config;
    final HandleTable table;
    final Nursery nursery;
    final SizeClassAllocatorImpl old;
    final Marking marking;
    final Collector collector;
    final Globals globals = new Globals();
    final ScopeRegistry scopes = new ScopeRegistry(this);
    /** Which types are allocated in the old space directly (see {@link Pretenuring}). */
    final Pretenuring pretenuring = new Pretenuring();
    /** Counts scopes and handle scopes as they open, to order them (see {@link #checkNotEscaping}). */
    private final AtomicLong openings = new AtomicLong();
    /**
     * The marking cycle's phase as the barriers see it ({@link Marking#IDLE}, {@code MARKING},
     * {@code SWEEPING}): a plain field, written only with the world stopped and read only inside operations,
     * which the stop-the-world protocol orders after the pause that wrote it (see {@link Mutator}).
     */
    int cyclePhase;

    /** Taken by a collecting thread for the whole collection; waiting mutators take it to wait. */
    final ReentrantLock gcLock = new ReentrantLock();
    /** Set while a collection needs the world stopped; see {@link Mutator}. */
    volatile boolean stopRequested;
    private volatile boolean closed;

    final CopyOnWriteArrayList<Mutator> mutators = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Mutator> mutatorOfThread = new ThreadLocal<>();
    private final Mutator[] mutatorCache = new Mutator[CACHE_SIZE];

    /**
     * Bytes the old space's objects (promoted or allocated there) take: their blocks' sizes
     * ({@link SizeClassAllocatorImpl#blockBytes}), which the sweep learns as it frees them without reading
     * the objects.
     */
    final AtomicLong oldBytes = new AtomicLong();
    final AtomicLong oldObjects = new AtomicLong();

    public HeapImpl(HeapConfig config) {
        this.config = config;
        HandleTable t = new HandleTable(config.name(), config.maxObjects(),
                HeapConfig.idReuseDelay(config.maxObjects()), config.budget(), config.hugePages());
        Nursery n = null;
        SizeClassAllocatorImpl o = null;
        try {
            config.budget().reserve(config.nurseryBytes());
            try {
                n = new Nursery(config.nurseryBytes());
            } catch (RuntimeException | Error e) {
                config.budget().release(config.nurseryBytes());
                throw e;
            }
            o = (SizeClassAllocatorImpl) SizeClassAllocator.builder().name(config.name() + "/old")
                    .budget(config.budget()).hugePages(config.hugePages()).build();
            o.useOneHeap(); // promotion and sweeping run on whichever thread pauses: one heap reuses all
            this.old = o;
            this.table = t;
            t.setScopeGuard(scopes);
            this.nursery = n;
            this.marking = new Marking(this); // maps the mark bitmap
        } catch (RuntimeException | Error e) {
            if (o != null) {
                o.close();
            }
            if (n != null) {
                n.close();
                config.budget().release(config.nurseryBytes());
            }
            t.close();
            throw e;
        }
        this.collector = new Collector(this);
    }

    @Override
    public String name() {
        return config.name();
    }

    // ------------------------------------------------------------------ threads

    /** The calling thread's mutator, attaching it on first use. */
    Mutator mutator() {
        Thread t = Thread.currentThread();
        Mutator m = mutatorCache[(int) t.threadId() & (CACHE_SIZE - 1)];
        if (m != null && m.owner == t) {
            return m;
        }
        return mutatorSlow(t);
    }

    private Mutator mutatorSlow(Thread t) {
        Mutator m = mutatorOfThread.get();
        if (m == null) {
            m = new Mutator(t);
            mutators.add(m);
            mutatorOfThread.set(m);
        }
        mutatorCache[(int) t.threadId() & (CACHE_SIZE - 1)] = m;
        return m;
    }

    /** Starts an operation on the calling thread; waits while a collection runs. */
    Mutator enter() {
        Mutator m = mutator();
        if (m.depth++ == 0) {
            m.setIn();
            if (stopRequested || closed) {
                m.depth = 0;
                m.setOut();
                enterSlow(m);
            }
        }
        return m;
    }

    private void enterSlow(Mutator m) {
        while (true) {
            checkOpen();
            waitForCollection();
            m.setIn();
            if (!stopRequested && !closed) {
                m.depth = 1;
                return;
            }
            m.setOut();
        }
    }

    /** Blocks until no collection runs; the caller is OUT. */
    private void waitForCollection() {
        gcLock.lock();
        gcLock.unlock();
    }

    void exit(Mutator m) {
        if (--m.depth == 0) {
            m.setOut();
        }
    }

    /**
     * Inside an operation: steps out while another thread collects, then back in. Returns with the caller
     * in again; anything it read from the heap before may have moved.
     */
    void stepOutForCollection(Mutator m) {
        m.setOut();
        while (true) {
            waitForCollection();
            m.setIn();
            if (!stopRequested) {
                return;
            }
            m.setOut();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("heap '" + config.name() + "' is closed");
        }
    }

    boolean isClosed() {
        return closed;
    }

    // ------------------------------------------------------------------ handle scopes

    @Override
    public HandleScope openHandleScope() {
        Mutator m = enter();
        try {
            return new HandleScopeImpl(this, m, openings.incrementAndGet());
        } finally {
            exit(m);
        }
    }

    private static void requireScope(Mutator m) {
        if (m.scopeDepth == 0) {
            throw new IllegalStateException("no handle scope is open on thread " + m.owner.getName()
                    + ": open one with heap.openHandleScope() before obtaining handles");
        }
    }

    /**
     * Registers {@code id} in the current handle scope and returns its handle (0 for id 0). A scoped object
     * is not registered: its scope keeps it, and handle stacks hold only the collected heap's objects.
     */
    private long localHandle(Mutator m, int id) {
        if (id == 0) {
            return 0;
        }
        long handle = table.handleOf(id);
        if (cyclePhase == Marking.MARKING) {
            marking.grey(m, id); // roots stay black: a handle read out of an object may be its only root
        }
        if (table.scopeOf(id) == 0) {
            m.pushHandle(id);
        }
        return handle;
    }

    // ------------------------------------------------------------------ scopes (regions)

    @Override
    public Scope openScope() {
        return openScope(false);
    }

    @Override
    public Scope openSharedScope() {
        return openScope(true);
    }

    private ScopeImpl openScope(boolean shared) {
        checkOpen();
        while (scopes.reclaimDue()) {
            collector.reclaimScopes(); // gives closed scopes' ids back first, a bounded chunk per pause
        }
        Mutator m = enter();
        try {
            if (shared) { // not nested: its lifetime is not its opener's block
                return new ScopeImpl(this, null, true, openings.incrementAndGet());
            }
            ScopeImpl parent = m.innerScope == null ? null : m.innerScope.openOrEnclosing();
            ScopeImpl s = new ScopeImpl(this, parent, false, openings.incrementAndGet());
            m.innerScope = s;
            return s;
        } finally {
            exit(m);
        }
    }

    /**
     * Marks {@code scope} closed, as one operation: a confined scope by its thread; a shared one with the
     * world stopped, so that no other thread is inside an operation on its objects. Returns false if it
     * was closed already.
     */
    boolean closeScope(ScopeImpl scope) {
        boolean closedNow;
        if (scope.isShared()) {
            closedNow = collector.withWorldStopped(self -> scope.markClosed());
        } else {
            Mutator m = enter();
            try {
                closedNow = scope.markClosed();
            } finally {
                exit(m);
            }
        }
        Mutator m = mutator();
        if (m.innerScope == scope) {
            m.innerScope = scope.openOrEnclosing();
        }
        return closedNow;
    }

    /**
     * Copies {@code object}, an object of {@code from}, and every object of {@code from} it reaches, into
     * {@code to} (the collected heap if null). First every copy is allocated (collections may run), then,
     * with no allocation left to trigger one, contents are copied and references set through the write
     * barrier, mapping references into {@code from} to the copies.
     */
    long promoteOutOf(ScopeImpl from, ScopeImpl to, long object) {
        Mutator m = enter();
        try {
            if (table.scopeOf(Heap.idOf(object)) != from.number()) {
                table.address(object); // a stale handle says so
                throw new IllegalArgumentException("object #" + Heap.idOf(object) + " is not an object of this scope");
            }
            table.address(object);
            if (to == null) {
                requireScope(m);
            }
            int handlesBefore = m.handleTop;
            java.util.Map<Integer, Long> copies = new java.util.HashMap<>();
            java.util.ArrayDeque<Integer> work = new java.util.ArrayDeque<>();
            copies.put(Heap.idOf(object), copyShell(m, to, Heap.idOf(object)));
            work.add(Heap.idOf(object));
            java.util.List<Integer> order = new java.util.ArrayList<>();
            while (!work.isEmpty()) { // discover and allocate
                int id = work.poll();
                order.add(id);
                long a = table.addressOf(id);
                forEachReferenceSlot(a, (slot, ref) -> {
                    if (table.scopeOf(ref) == from.number() && !copies.containsKey(ref)) {
                        copies.put(ref, copyShell(m, to, ref));
                        work.add(ref);
                    }
                });
            }
            for (int id : order) { // copy contents, then references
                long src = table.addressOf(id);
                long copy = copies.get(id);
                long dst = table.address(copy);
                long size = objectBytes(src);
                long body = Type.ofId(ObjectHeader.typeId(ObjectHeader.read(VIEW, src))).isArray() ? ARRAY_BASE
                        : Type.HEADER_BYTES;
                MemorySegment.copy(VIEW, src + body, VIEW, dst + body, size - body);
                forEachReferenceSlot(src, (slot, ref) -> {
                    long at = dst + (slot - src);
                    VIEW.set(ValueLayout.JAVA_INT, at, 0);
                    Long mapped = copies.get(ref);
                    long target = mapped != null ? mapped : table.handleOf(ref);
                    storeReference(m, copy, dst, at, target, table.address(target));
                });
            }
            long result = copies.get(Heap.idOf(object));
            if (to == null) {
                m.handleTop = handlesBefore; // the copies are reachable from the result
                m.pushHandle(Heap.idOf(result));
            }
            return result;
        } finally {
            exit(m);
        }
    }

    /** A zeroed object of the same type and length as {@code id}, in {@code to} or the collected heap. */
    private long copyShell(Mutator m, ScopeImpl to, int id) {
        long a = table.addressOf(id);
        Type type = Type.ofId(ObjectHeader.typeId(ObjectHeader.read(VIEW, a)));
        int length = type.isArray() ? ObjectHeader.arrayLength(VIEW, a) : -1;
        long size = type.isArray() ? type.instanceBytes(length) : type.fixedBytes();
        if (to != null) {
            return to.allocateEntered(m, type, size, length);
        }
        return allocateObject(m, type, size, length);
    }

    /** A reference slot's address and the id in it, for each non-null reference of an object. */
    interface SlotVisitor {
        void visit(long slot, int id);
    }

    static void forEachReferenceSlot(long address, SlotVisitor visitor) {
        Type type = Type.ofId(ObjectHeader.typeId(ObjectHeader.read(VIEW, address)));
        if (type.isArray()) {
            if (type.elementKind() == Kind.REF) {
                int length = ObjectHeader.arrayLength(VIEW, address);
                for (int i = 0; i < length; i++) {
                    long slot = address + ARRAY_BASE + 4L * i;
                    int id = VIEW.get(ValueLayout.JAVA_INT, slot);
                    if (id != 0) {
                        visitor.visit(slot, id);
                    }
                }
            }
            return;
        }
        for (int i = 0; i < type.refCount(); i++) {
            long slot = address + type.refOffset(i);
            int id = VIEW.get(ValueLayout.JAVA_INT, slot);
            if (id != 0) {
                visitor.visit(slot, id);
            }
        }
    }

    // ------------------------------------------------------------------ ownership

    @Override
    public Unique allocateUnique(Type type) {
        Owned.ObjectCore core = ownedObject(type);
        return new Owned.UniqueObject(core, table.handleOf(core.id));
    }

    @Override
    public Shared allocateShared(Type type) {
        Owned.ObjectCore core = ownedObject(type);
        return new Owned.SharedObject(core, table.handleOf(core.id));
    }

    /** An owned object in the old space (never in the nursery: freeing it is then one free), rooted. */
    private Owned.ObjectCore ownedObject(Type type) {
        Objects.requireNonNull(type, "type");
        if (type.isArray()) {
            throw new IllegalArgumentException(type.name() + " is an array type: owned objects are structs");
        }
        Mutator m = enter();
        try {
            if (m.idCount == 0) {
                m.idCount = reserveIds(m, m.ids);
            }
            long address = allocateOld(m, type.fixedBytes());
            int id = m.ids[--m.idCount];
            marking.allocatedOld(id); // before it is live, as for any old allocation
            initObject(id, address, type, -1, 0);
            table.markOwned(id);
            return new Owned.ObjectCore(this, id, null, new GlobalHandleImpl(this, globals.addStrong(id)));
        } finally {
            exit(m);
        }
    }

    /** Marks a just-allocated scoped object owned. */
    void markOwned(int id) {
        table.markOwned(id);
    }

    /** Moves an owned object's id to its next generation, for a move of its unique owner. */
    long renewOwned(Owned.ObjectCore core, long handle) {
        Mutator m = enter();
        try {
            table.address(handle); // stale if its scope closed
            return table.renew(core.id);
        } finally {
            exit(m);
        }
    }

    /**
     * Frees an owned object on its last owner's close. One in the collected heap is freed with the world
     * stopped (no other thread is half-way through reading it); a scoped one is only made stale, and its
     * memory goes with the scope.
     */
    void freeOwned(Owned.ObjectCore core) {
        if (closed) {
            return;
        }
        if (core.scope != null) {
            Mutator m = enter();
            try {
                if (core.scope.isOpen()) {
                    table.renew(core.id);
                }
            } finally {
                exit(m);
            }
            return;
        }
        core.root.close();
        collector.withWorldStopped(self -> {
            long a = table.addressOf(core.id);
            long size = objectBytes(a);
            old.freeAddress(a);
            oldBytes.addAndGet(-old.blockBytes(size));
            oldObjects.decrementAndGet();
            table.free(core.id);
            return null;
        });
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
        if (byteSize <= 0) {
            throw new IllegalArgumentException("buffer size must be positive: " + byteSize);
        }
        checkOpen();
        MemorySegment block = old.allocate(byteSize);
        block.fill((byte) 0);
        return new Owned.MemoryCore(block.address(), byteSize, () -> {
            if (!closed) {
                old.free(block);
            }
        });
    }

    // ------------------------------------------------------------------ allocation

    @Override
    public long allocate(Type type) {
        Objects.requireNonNull(type, "type");
        if (type.isArray()) {
            throw new IllegalArgumentException(type.name() + " is an array type: use allocateArray");
        }
        Mutator m = enter();
        try {
            requireScope(m);
            return allocateObject(m, type, type.fixedBytes(), -1);
        } finally {
            exit(m);
        }
    }

    @Override
    public long allocateArray(Type type, int length) {
        checkArray(type, length);
        Mutator m = enter();
        try {
            requireScope(m);
            return allocateObject(m, type, type.instanceBytes(length), length);
        } finally {
            exit(m);
        }
    }

    /** Checks the arguments of an array allocation. */
    static void checkArray(Type type, int length) {
        Objects.requireNonNull(type, "type");
        if (!type.isArray()) {
            throw new IllegalArgumentException(type.name() + " is not an array type: use allocate");
        }
        if (length < 0 || length > type.maxLength()) {
            throw new IllegalArgumentException("array length out of range [0, " + type.maxLength() + "]: " + length);
        }
    }

    /**
     * Reserves a batch of ids into {@code into}; when none is free but closed scopes hold some, a minor
     * collection gives those back first; when the table cannot grow within the heap's limit, a full
     * collection frees what it can first (as an allocation in the old space does). Throws before any
     * change.
     */
    int reserveIds(Mutator m, int[] into) {
        boolean collected = false;
        while (true) {
            try {
                return table.reserve(into, into.length);
            } catch (HandleSpaceExhaustedException e) {
                if (scopes.pendingIds() == 0) {
                    throw e;
                }
                collector.collectFor(m, GarbageCollector.YOUNG); // gives a chunk of closed scopes' ids back
            } catch (MemoryLimitExceededException e) {
                if (collected) {
                    throw e;
                }
                // freed ids make growing the table needless; false: another thread collected, look again
                collected = collector.collectFor(m, GarbageCollector.OLD);
            }
        }
    }

    /**
     * Writes a new object's header (and length, for an array, {@code length >= 0}) at {@code address} and
     * activates its id: live, or SCOPED in scope {@code scope} when that is not 0.
     */
    long initObject(int id, long address, Type type, int length, int scope) {
        ObjectHeader.write(VIEW, address, ObjectHeader.make(id, type.id(), 0, 0));
        if (length >= 0) {
            VIEW.set(ValueLayout.JAVA_INT, address + ObjectHeader.LENGTH_OFFSET, length);
        }
        return scope == 0 ? table.activate(id, address) : table.activateScoped(id, address, scope);
    }

    private long allocateObject(Mutator m, Type type, long bytes, int length) {
        if (m.idCount == 0) {
            m.idCount = reserveIds(m, m.ids);
        }
        long address;
        boolean young = bytes <= Nursery.MAX_YOUNG_OBJECT && !pretenuring.isPretenured(type.id());
        if (young) {
            if (!m.hasTlabRoom(bytes)) {
                refillTlab(m);
            }
            address = m.tlabTop;
            m.tlabTop = address + bytes; // the buffer was zeroed when it was taken
        } else {
            address = allocateOld(m, bytes);
        }
        int id = m.ids[--m.idCount];
        if (!young) {
            marking.allocatedOld(id); // before it is live: a sweep never sees it unmarked
        }
        long handle = initObject(id, address, type, length, 0);
        m.pushHandle(id);
        return handle;
    }

    /** Gives {@code m} a fresh, zeroed allocation buffer, collecting the nursery when eden is full. */
    private void refillTlab(Mutator m) {
        retireTlab(m);
        collector.beforeTlab(m); // pacing: may assist the old collection, or wait for another thread's pause
        while (true) {
            long tlab = nursery.takeTlab();
            if (tlab >= 0) {
                VIEW.asSlice(tlab, Nursery.TLAB_BYTES).fill((byte) 0);
                m.tlabTop = tlab;
                m.tlabEnd = tlab + Nursery.TLAB_BYTES;
                return;
            }
            collector.collectFor(m, GarbageCollector.YOUNG);
        }
    }

    /** Covers the unused rest of {@code m}'s buffer with a filler, so eden stays walkable. */
    static void retireTlab(Mutator m) {
        if (m.tlabEnd > m.tlabTop) {
            ObjectHeader.writeFiller(VIEW, m.tlabTop, m.tlabEnd - m.tlabTop);
        }
        m.tlabTop = 0;
        m.tlabEnd = 0;
    }

    /** A zeroed block of the old space; collects and retries once when the limit is reached. */
    private long allocateOld(Mutator m, long bytes) {
        m.oldSincePacing += bytes;
        if (bytes > Nursery.MAX_YOUNG_OBJECT || m.oldSincePacing >= Nursery.TLAB_BYTES) {
            // pacing, per large object or per buffer's worth of pretenured ones: may start an old
            // collection, or assist one
            collector.beforeOldAllocation(m, m.oldSincePacing);
            m.oldSincePacing = 0;
        }
        long address;
        try {
            address = old.allocateAddress(bytes);
        } catch (MemoryLimitExceededException e) {
            collector.collectFor(m, GarbageCollector.OLD);
            old.trim();
            address = old.allocateAddress(bytes); // throws again if a full collection did not help
        }
        VIEW.asSlice(address, bytes).fill((byte) 0);
        oldBytes.addAndGet(old.blockBytes(bytes));
        oldObjects.incrementAndGet();
        return address;
    }

    // ------------------------------------------------------------------ identity

    /** The address of the object, after checking the handle; the caller is inside an operation. */
    long addressOf(long handle) {
        return table.address(handle);
    }

    @Override
    public Type typeOf(long handle) {
        Mutator m = enter();
        try {
            return Type.ofId(ObjectHeader.typeId(ObjectHeader.read(VIEW, table.address(handle))));
        } finally {
            exit(m);
        }
    }

    @Override
    public boolean isLive(long handle) {
        if (handle == 0) {
            return false;
        }
        Mutator m = enter();
        try {
            return table.isLive(handle)
                    && !(cyclePhase == Marking.SWEEPING && marking.isCondemned(Heap.idOf(handle), table.address(handle)));
        } finally {
            exit(m);
        }
    }

    @Override
    public int length(long array) {
        Mutator m = enter();
        try {
            long a = table.address(array);
            requireArray(array, a);
            return ObjectHeader.arrayLength(VIEW, a);
        } finally {
            exit(m);
        }
    }

    @Override
    public long sizeOf(long handle) {
        Mutator m = enter();
        try {
            return objectBytes(table.address(handle));
        } finally {
            exit(m);
        }
    }

    /** The bytes of the object at {@code address}, header included. */
    static long objectBytes(long address) {
        long header = ObjectHeader.read(VIEW, address);
        Type type = Type.ofId(ObjectHeader.typeId(header));
        return type.isArray() ? type.instanceBytes(ObjectHeader.arrayLength(VIEW, address)) : type.fixedBytes();
    }

    private static Type requireArray(long handle, long address) {
        Type type = Type.ofId(ObjectHeader.typeId(ObjectHeader.read(VIEW, address)));
        if (!type.isArray()) {
            throw new IllegalArgumentException("object #" + Heap.idOf(handle) + " is a " + type.name()
                    + ", not an array");
        }
        return type;
    }

    // ------------------------------------------------------------------ struct fields

    /** The address of {@code field} in {@code object}, after checking the handle and the type. */
    private long fieldAddress(long object, Field field) {
        long a = table.address(object);
        if (ObjectHeader.typeId(ObjectHeader.read(VIEW, a)) != field.type().id()) {
            throw wrongType(object, a, field);
        }
        return a + field.offset();
    }

    private static IllegalArgumentException wrongType(long object, long address, Field field) {
        Type actual = Type.ofId(ObjectHeader.typeId(ObjectHeader.read(VIEW, address)));
        return new IllegalArgumentException("object #" + Heap.idOf(object) + " is a " + actual.name() + "; field '"
                + field.name() + "' belongs to " + field.type().name());
    }

    @Override
    public byte get(long object, ByteField field) {
        Mutator m = enter();
        try {
            return VIEW.get(ValueLayout.JAVA_BYTE, fieldAddress(object, field));
        } finally {
            exit(m);
        }
    }

    @Override
    public void set(long object, ByteField field, byte value) {
        Mutator m = enter();
        try {
            VIEW.set(ValueLayout.JAVA_BYTE, fieldAddress(object, field), value);
        } finally {
            exit(m);
        }
    }

    @Override
    public boolean get(long object, BooleanField field) {
        Mutator m = enter();
        try {
            return VIEW.get(ValueLayout.JAVA_BYTE, fieldAddress(object, field)) != 0;
        } finally {
            exit(m);
        }
    }

    @Override
    public void set(long object, BooleanField field, boolean value) {
        Mutator m = enter();
        try {
            VIEW.set(ValueLayout.JAVA_BYTE, fieldAddress(object, field), (byte) (value ? 1 : 0));
        } finally {
            exit(m);
        }
    }

    @Override
    public short get(long object, ShortField field) {
        Mutator m = enter();
        try {
            return VIEW.get(ValueLayout.JAVA_SHORT, fieldAddress(object, field));
        } finally {
            exit(m);
        }
    }

    @Override
    public void set(long object, ShortField field, short value) {
        Mutator m = enter();
        try {
            VIEW.set(ValueLayout.JAVA_SHORT, fieldAddress(object, field), value);
        } finally {
            exit(m);
        }
    }

    @Override
    public char get(long object, CharField field) {
        Mutator m = enter();
        try {
            return VIEW.get(ValueLayout.JAVA_CHAR, fieldAddress(object, field));
        } finally {
            exit(m);
        }
    }

    @Override
    public void set(long object, CharField field, char value) {
        Mutator m = enter();
        try {
            VIEW.set(ValueLayout.JAVA_CHAR, fieldAddress(object, field), value);
        } finally {
            exit(m);
        }
    }

    @Override
    public int get(long object, IntField field) {
        Mutator m = enter();
        try {
            return VIEW.get(ValueLayout.JAVA_INT, fieldAddress(object, field));
        } finally {
            exit(m);
        }
    }

    @Override
    public void set(long object, IntField field, int value) {
        Mutator m = enter();
        try {
            VIEW.set(ValueLayout.JAVA_INT, fieldAddress(object, field), value);
        } finally {
            exit(m);
        }
    }

    @Override
    public float get(long object, FloatField field) {
        Mutator m = enter();
        try {
            return VIEW.get(ValueLayout.JAVA_FLOAT, fieldAddress(object, field));
        } finally {
            exit(m);
        }
    }

    @Override
    public void set(long object, FloatField field, float value) {
        Mutator m = enter();
        try {
            VIEW.set(ValueLayout.JAVA_FLOAT, fieldAddress(object, field), value);
        } finally {
            exit(m);
        }
    }

    @Override
    public long get(long object, LongField field) {
        Mutator m = enter();
        try {
            return VIEW.get(ValueLayout.JAVA_LONG, fieldAddress(object, field));
        } finally {
            exit(m);
        }
    }

    @Override
    public void set(long object, LongField field, long value) {
        Mutator m = enter();
        try {
            VIEW.set(ValueLayout.JAVA_LONG, fieldAddress(object, field), value);
        } finally {
            exit(m);
        }
    }

    @Override
    public double get(long object, DoubleField field) {
        Mutator m = enter();
        try {
            return VIEW.get(ValueLayout.JAVA_DOUBLE, fieldAddress(object, field));
        } finally {
            exit(m);
        }
    }

    @Override
    public void set(long object, DoubleField field, double value) {
        Mutator m = enter();
        try {
            VIEW.set(ValueLayout.JAVA_DOUBLE, fieldAddress(object, field), value);
        } finally {
            exit(m);
        }
    }

    @Override
    public long get(long object, RefField field) {
        Mutator m = enter();
        try {
            requireScope(m);
            long slot = fieldAddress(object, field);
            if (cyclePhase == Marking.SWEEPING) {
                requireUncondemned(object, slot - field.offset());
            }
            return localHandle(m, VIEW.get(ValueLayout.JAVA_INT, slot));
        } finally {
            exit(m);
        }
    }

    @Override
    public void set(long object, RefField field, long target) {
        Mutator m = enter();
        try {
            long slot = fieldAddress(object, field);
            long targetAddress = target == 0 ? 0 : table.address(target);
            storeReference(m, object, slot - field.offset(), slot, target, targetAddress);
        } finally {
            exit(m);
        }
    }

    @Override
    public void get(long object, BytesField field, byte[] destination) {
        Objects.requireNonNull(destination, "destination");
        if (destination.length != field.length()) {
            throw new IllegalArgumentException("field '" + field.name() + "' has " + field.length()
                    + " bytes; the destination has " + destination.length);
        }
        Mutator m = enter();
        try {
            MemorySegment.copy(VIEW, ValueLayout.JAVA_BYTE, fieldAddress(object, field), destination, 0,
                    destination.length);
        } finally {
            exit(m);
        }
    }

    @Override
    public void set(long object, BytesField field, byte[] source) {
        Objects.requireNonNull(source, "source");
        if (source.length > field.length()) {
            throw new IllegalArgumentException("field '" + field.name() + "' holds " + field.length()
                    + " bytes; the source has " + source.length);
        }
        Mutator m = enter();
        try {
            long a = fieldAddress(object, field);
            MemorySegment.copy(source, 0, VIEW, ValueLayout.JAVA_BYTE, a, source.length);
            VIEW.asSlice(a + source.length, field.length() - source.length).fill((byte) 0);
        } finally {
            exit(m);
        }
    }

    // ------------------------------------------------------------------ the write barrier

    /**
     * The one write barrier: every reference store into an object goes through here. Its fast path, with
     * no old collection in progress, stores the id and keeps the generational invariant — an old object
     * that may refer to a young one is in the remembered set — by remembering the holder the first time
     * such a store happens, or for a long array of references the card of the slot ({@link Cards}). While an old collection runs ({@link #cyclePhase}), {@link #cycleBarrier}
     * comes first. Reference counts and scope escapes will hook in here too.
     *
     * @param holderHandle the holding object's handle, already checked
     * @param holder its address
     * @param slot the address of the reference slot in it
     * @param target the stored handle (0 for null), already checked
     * @param targetAddress its object's address (0 for null)
     */
    private void storeReference(Mutator m, long holderHandle, long holder, long slot, long target,
            long targetAddress) {
        if (target != 0) {
            int flags = table.flagsOf(Heap.idOf(target));
            if (HandleTable.scopedOrOwned(flags)) {
                checkStore(holder, target, flags);
            }
        }
        if (cyclePhase != Marking.IDLE) {
            cycleBarrier(m, holderHandle, holder, slot, target, targetAddress);
        }
        VIEW.set(ValueLayout.JAVA_INT, slot, Heap.idOf(target));
        if (targetAddress != 0 && nursery.contains(targetAddress) && !nursery.contains(holder)) {
            long header = ObjectHeader.read(VIEW, holder);
            if (Cards.carded(holder, header)) {
                m.remember(Cards.card(ObjectHeader.id(header), (int) ((slot - holder - ARRAY_BASE) >>> 2)));
            } else if ((ObjectHeader.flags(header) & ObjectHeader.REMEMBERED) == 0) {
                ObjectHeader.write(VIEW, holder,
                        ObjectHeader.withFlags(header, ObjectHeader.flags(header) | ObjectHeader.REMEMBERED));
                m.remember(Cards.whole(ObjectHeader.id(header)));
            }
        }
    }

    /**
     * The barrier's escape check, for a target that is scoped or owned: an owned object may be referred
     * to by no object; a scoped one only by objects of its own scope or of scopes nested in it.
     */
    private void checkStore(long holder, long target, int targetFlags) {
        int holderId = ObjectHeader.id(ObjectHeader.read(VIEW, holder));
        if ((targetFlags & HandleTable.OWNED) != 0) {
            throw new ScopeEscapeException("object #" + Heap.idOf(target) + " is owned (Unique or Shared): "
                    + "no object may refer to it; object #" + holderId + " tried");
        }
        ScopeImpl targetScope = scopes.scope(targetFlags >>> HandleTable.USER_SHIFT);
        int holderNumber = table.scopeOf(holderId);
        ScopeImpl holderScope = holderNumber == 0 ? null : scopes.scope(holderNumber);
        if (holderScope == null || !holderScope.isWithin(targetScope)) {
            throw new ScopeEscapeException("object #" + Heap.idOf(target) + " lives in a scope that object #"
                    + holderId + (holderScope == null ? " (in the collected heap)" : " (in an enclosing scope)")
                    + " would outlive: promote it out of its scope first");
        }
    }

    /** Whether the checked handle names a scoped object. */
    boolean isScoped(long object) {
        return table.scopeOf(Heap.idOf(object)) != 0;
    }

    /** Throws if {@code object} is scoped or owned: it may not become a global root. */
    private void checkNotScopedOrOwned(long object, String what) {
        int flags = table.flagsOf(Heap.idOf(object));
        if ((flags & HandleTable.SCOPED) != 0) {
            throw new ScopeEscapeException("object #" + Heap.idOf(object) + " lives in a scope: it cannot be "
                    + what + "; promote it out of its scope first");
        }
        if ((flags & HandleTable.OWNED) != 0) {
            throw new ScopeEscapeException("object #" + Heap.idOf(object) + " is owned (Unique or Shared): it "
                    + "cannot be " + what);
        }
    }

    /**
     * The write barrier's part while an old collection runs, before the store (see {@link Marking}).
     * Marking: the reference about to be overwritten is greyed (snapshot at the beginning), and so is the
     * stored object (it may come from a handle that no root holds). Sweeping: refuses a condemned holder
     * or target — errors before effects.
     */
    private void cycleBarrier(Mutator m, long holderHandle, long holder, long slot, long target,
            long targetAddress) {
        if (cyclePhase == Marking.MARKING) {
            int overwritten = VIEW.get(ValueLayout.JAVA_INT, slot);
            if (overwritten != 0) {
                marking.grey(m, overwritten);
            }
            if (target != 0) {
                marking.grey(m, Heap.idOf(target));
            }
        } else {
            requireUncondemned(holderHandle, holder);
            if (target != 0) {
                requireUncondemned(target, targetAddress);
            }
        }
    }

    /**
     * Throws if {@code object} is scoped in a scope opened after the handle scope that opened at
     * {@code handleScopeOpenedAt}: registered there, its handle would outlive its scope.
     */
    void checkNotEscaping(long object, long handleScopeOpenedAt) {
        int number = table.scopeOf(Heap.idOf(object));
        if (number != 0 && scopes.scope(number).openedAt > handleScopeOpenedAt) {
            throw new ScopeEscapeException("object #" + Heap.idOf(object) + " lives in a scope opened after "
                    + "the handle scope it would be registered in: the handle would outlive the object");
        }
    }

    /**
     * Before a handle's object becomes a root or is handed out as a reference (newLocal, newGlobal, pin,
     * escape): greys it while marking runs, refuses it if condemned while sweeping (see {@link Marking}).
     */
    void holdBarrier(Mutator m, long handle, long address) {
        int phase = cyclePhase;
        if (phase == Marking.MARKING) {
            marking.grey(m, Heap.idOf(handle));
        } else if (phase == Marking.SWEEPING) {
            requireUncondemned(handle, address);
        }
    }

    /** Throws {@link StaleHandleException} if the object is condemned (see {@link Marking}). */
    private void requireUncondemned(long handle, long address) {
        if (marking.isCondemned(Heap.idOf(handle), address)) {
            throw new StaleHandleException(handle, "handle 0x" + Long.toHexString(handle) + " of heap '"
                    + config.name() + "' is stale: object #" + Heap.idOf(handle)
                    + " was unreachable when the last marking ended, and its memory is being freed");
        }
    }

    // ------------------------------------------------------------------ array elements

    /** The address of element {@code index} of {@code array}, after checking handle, kind and bounds. */
    private long elementAddress(long array, int index, Kind kind) {
        return elementAddress(array, table.address(array), index, kind);
    }

    /** As {@link #elementAddress(long, int, Kind)}, for the array at {@code a}, its handle checked already. */
    private static long elementAddress(long array, long a, int index, Kind kind) {
        Type type = requireArray(array, a);
        if (type.elementKind() != kind) {
            throw new IllegalArgumentException("object #" + Heap.idOf(array) + " is a " + type.name() + " of "
                    + type.elementKind() + ", not of " + kind);
        }
        int length = ObjectHeader.arrayLength(VIEW, a);
        Objects.checkIndex(index, length);
        return a + ARRAY_BASE + (long) index * kind.byteSize();
    }

    @Override
    public byte getByte(long array, int index) {
        Mutator m = enter();
        try {
            return VIEW.get(ValueLayout.JAVA_BYTE, elementAddress(array, index, Kind.BYTE));
        } finally {
            exit(m);
        }
    }

    @Override
    public void setByte(long array, int index, byte value) {
        Mutator m = enter();
        try {
            VIEW.set(ValueLayout.JAVA_BYTE, elementAddress(array, index, Kind.BYTE), value);
        } finally {
            exit(m);
        }
    }

    @Override
    public boolean getBoolean(long array, int index) {
        Mutator m = enter();
        try {
            return VIEW.get(ValueLayout.JAVA_BYTE, elementAddress(array, index, Kind.BOOLEAN)) != 0;
        } finally {
            exit(m);
        }
    }

    @Override
    public void setBoolean(long array, int index, boolean value) {
        Mutator m = enter();
        try {
            VIEW.set(ValueLayout.JAVA_BYTE, elementAddress(array, index, Kind.BOOLEAN), (byte) (value ? 1 : 0));
        } finally {
            exit(m);
        }
    }

    @Override
    public char getChar(long array, int index) {
        Mutator m = enter();
        try {
            return VIEW.get(ValueLayout.JAVA_CHAR, elementAddress(array, index, Kind.CHAR));
        } finally {
            exit(m);
        }
    }

    @Override
    public void setChar(long array, int index, char value) {
        Mutator m = enter();
        try {
            VIEW.set(ValueLayout.JAVA_CHAR, elementAddress(array, index, Kind.CHAR), value);
        } finally {
            exit(m);
        }
    }

    @Override
    public short getShort(long array, int index) {
        Mutator m = enter();
        try {
            return VIEW.get(ValueLayout.JAVA_SHORT, elementAddress(array, index, Kind.SHORT));
        } finally {
            exit(m);
        }
    }

    @Override
    public void setShort(long array, int index, short value) {
        Mutator m = enter();
        try {
            VIEW.set(ValueLayout.JAVA_SHORT, elementAddress(array, index, Kind.SHORT), value);
        } finally {
            exit(m);
        }
    }

    @Override
    public int getInt(long array, int index) {
        Mutator m = enter();
        try {
            return VIEW.get(ValueLayout.JAVA_INT, elementAddress(array, index, Kind.INT));
        } finally {
            exit(m);
        }
    }

    @Override
    public void setInt(long array, int index, int value) {
        Mutator m = enter();
        try {
            VIEW.set(ValueLayout.JAVA_INT, elementAddress(array, index, Kind.INT), value);
        } finally {
            exit(m);
        }
    }

    @Override
    public float getFloat(long array, int index) {
        Mutator m = enter();
        try {
            return VIEW.get(ValueLayout.JAVA_FLOAT, elementAddress(array, index, Kind.FLOAT));
        } finally {
            exit(m);
        }
    }

    @Override
    public void setFloat(long array, int index, float value) {
        Mutator m = enter();
        try {
            VIEW.set(ValueLayout.JAVA_FLOAT, elementAddress(array, index, Kind.FLOAT), value);
        } finally {
            exit(m);
        }
    }

    @Override
    public long getLong(long array, int index) {
        Mutator m = enter();
        try {
            return VIEW.get(ValueLayout.JAVA_LONG, elementAddress(array, index, Kind.LONG));
        } finally {
            exit(m);
        }
    }

    @Override
    public void setLong(long array, int index, long value) {
        Mutator m = enter();
        try {
            VIEW.set(ValueLayout.JAVA_LONG, elementAddress(array, index, Kind.LONG), value);
        } finally {
            exit(m);
        }
    }

    @Override
    public double getDouble(long array, int index) {
        Mutator m = enter();
        try {
            return VIEW.get(ValueLayout.JAVA_DOUBLE, elementAddress(array, index, Kind.DOUBLE));
        } finally {
            exit(m);
        }
    }

    @Override
    public void setDouble(long array, int index, double value) {
        Mutator m = enter();
        try {
            VIEW.set(ValueLayout.JAVA_DOUBLE, elementAddress(array, index, Kind.DOUBLE), value);
        } finally {
            exit(m);
        }
    }

    @Override
    public long getRef(long array, int index) {
        Mutator m = enter();
        try {
            requireScope(m);
            long a = table.address(array);
            long slot = elementAddress(array, a, index, Kind.REF);
            if (cyclePhase == Marking.SWEEPING) {
                requireUncondemned(array, a);
            }
            return localHandle(m, VIEW.get(ValueLayout.JAVA_INT, slot));
        } finally {
            exit(m);
        }
    }

    @Override
    public void setRef(long array, int index, long target) {
        Mutator m = enter();
        try {
            long holder = table.address(array);
            long slot = elementAddress(array, holder, index, Kind.REF);
            long targetAddress = target == 0 ? 0 : table.address(target);
            storeReference(m, array, holder, slot, target, targetAddress);
        } finally {
            exit(m);
        }
    }

    // ------------------------------------------------------------------ roots

    @Override
    public long newLocal(long object) {
        Mutator m = enter();
        try {
            requireScope(m);
            long address = table.address(object); // checks the handle before anything changes
            checkNotEscaping(object, m.scopeOpenedAt[m.scopeDepth - 1]);
            holdBarrier(m, object, address);
            if (table.scopeOf(Heap.idOf(object)) == 0) {
                m.pushHandle(Heap.idOf(object));
            }
            return object;
        } finally {
            exit(m);
        }
    }

    @Override
    public GlobalHandle newGlobal(long object) {
        Mutator m = enter();
        try {
            long address = table.address(object); // checks the handle
            checkNotScopedOrOwned(object, "a global root");
            holdBarrier(m, object, address);
            return new GlobalHandleImpl(this, globals.addStrong(Heap.idOf(object)));
        } finally {
            exit(m);
        }
    }

    @Override
    public WeakGlobal newWeakGlobal(long object, Runnable onCleared) {
        Mutator m = enter();
        try {
            long a = table.address(object);
            checkNotScopedOrOwned(object, "a weak global");
            if (cyclePhase == Marking.SWEEPING) {
                requireUncondemned(object, a);
            }
            return new GlobalHandleImpl.Weak(this, globals.addWeak(object, onCleared));
        } finally {
            exit(m);
        }
    }

    /** A global root's object as a local handle of the calling thread. */
    long globalGet(int slot, int generation) {
        Mutator m = enter();
        try {
            requireScope(m);
            return localHandle(m, globals.strongId(slot, generation));
        } finally {
            exit(m);
        }
    }

    /** A weak global's object as a local handle, or 0 once cleared. */
    long weakGet(int slot, int generation) {
        Mutator m = enter();
        try {
            requireScope(m);
            long handle = globals.weakHandle(slot, generation);
            return handle == 0 ? 0 : localHandle(m, Heap.idOf(handle));
        } finally {
            exit(m);
        }
    }

    // ------------------------------------------------------------------ pinning

    /** Pins per object, in the handle table's user flags. */
    static final int MAX_PINS = 0xFFFF;
    private final Object pinLock = new Object();
    private static final int[] NO_IDS = new int[0];
    /** Ids with at least one pin: roots of marking. Guarded by {@code pinLock}. */
    private final java.util.Set<Integer> pinned = new java.util.HashSet<>();

    /** The pinned objects' ids. */
    int[] pinnedIds() {
        synchronized (pinLock) {
            // a plain loop, not a stream: this runs in the pause that starts a cycle, once in many seconds,
            // where the JIT has not compiled it; a stream pipeline run by the interpreter took 40-400 µs
            if (pinned.isEmpty()) {
                return NO_IDS;
            }
            int[] ids = new int[pinned.size()];
            int i = 0;
            for (int id : pinned) {
                ids[i++] = id;
            }
            return ids;
        }
    }

    @Override
    public Pin pin(long object) {
        Mutator m = enter();
        try {
            long a = table.address(object);
            int id = Heap.idOf(object);
            int number = table.scopeOf(id);
            if (number == 0) {
                holdBarrier(m, object, a);
                while (nursery.contains(a)) {
                    collector.promote(m, id);
                    a = table.address(object);
                }
                synchronized (pinLock) {
                    int pins = table.userFlags(id);
                    if (pins == MAX_PINS) {
                        throw new IllegalStateException("object #" + id + " is pinned " + MAX_PINS + " times already");
                    }
                    table.setUserFlags(id, pins + 1);
                    if (pins == 0) {
                        pinned.add(id);
                    }
                }
            }
            Type type = Type.ofId(ObjectHeader.typeId(ObjectHeader.read(VIEW, a)));
            long contents = type.isArray() ? a + ARRAY_BASE : a + Type.HEADER_BYTES;
            long bytes = type.isArray()
                    ? (long) ObjectHeader.arrayLength(VIEW, a) * type.elementKind().byteSize()
                    : type.fixedBytes() - Type.HEADER_BYTES;
            if (number != 0) {
                return new PinImpl(this, object, scopes.scope(number).view(contents, bytes));
            }
            return new PinImpl(this, object, contents, bytes);
        } finally {
            exit(m);
        }
    }

    /** Releases one pin of a pinned (hence live) object. */
    void unpin(long object) {
        Mutator m = enter();
        try {
            int id = Heap.idOf(object);
            synchronized (pinLock) {
                int pins = table.userFlags(id) - 1;
                table.setUserFlags(id, pins);
                if (pins == 0) {
                    pinned.remove(id);
                }
            }
        } finally {
            exit(m);
        }
    }

    /** Whether the object with this id is pinned; the world stopped. */
    boolean isPinned(int id) {
        return table.userFlags(id) != 0;
    }

    // ------------------------------------------------------------------ collector and statistics

    @Override
    public GarbageCollector gc() {
        return collector;
    }

    @Override
    public HeapStats stats() {
        return collector.stats();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        Mutator m = mutator();
        boolean wasIn = m.depth > 0;
        if (!wasIn) {
            collector.stopWorkers(); // outside any operation: a collector thread's pause may wait for us otherwise
        }
        gcLock.lock();
        try {
            if (closed) {
                return;
            }
            collector.stopTheWorld(m);
            try {
                closed = true;
            } finally {
                collector.resumeTheWorld();
            }
            globals.close();
            try {
                old.close();
            } catch (MemoryLeakException expected) {
                // live objects are released with the heap: that is what closing it means
            }
            nursery.close();
            config.budget().release(nursery.bytes);
            table.close();
            marking.marks.close();
        } finally {
            gcLock.unlock();
            if (wasIn) {
                m.setOut();
            }
        }
    }

    @Override
    public String toString() {
        return "Heap[" + config.name() + "]";
    }
}
