package org.mm4j.internal.heap;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.mm4j.heap.CollectionStats;
import org.mm4j.heap.GarbageCollector;
import org.mm4j.heap.HeapStats;
import org.mm4j.heap.Kind;
import org.mm4j.heap.Type;
import org.mm4j.internal.heap.Globals.IntStack;

/**
 * The stop-the-world generational collector.
 *
 * <h2>Minor collections (generation 0)</h2>
 * Roots are the handle stacks of every thread, the global roots, and the reference fields of old objects
 * in the remembered set (the write barrier's record of old objects that may refer to young ones — the
 * old space is never scanned). Live young objects are copied (Cheney's breadth-first scan) into the
 * to-survivor, or promoted to the old space once they have survived the tenuring threshold or when the
 * to-survivor is full. A move rewrites the object's handle-table entry and nothing else: references are
 * ids. Eden and the from-survivor are then walked: an object whose entry still points at it was not
 * copied, so it is dead and its id is freed. The cost is proportional to the live young objects plus a
 * walk of the headers of the nursery's objects.
 *
 * <h2>Major collections (generation 1)</h2>
 * A minor collection first; then marking from the roots and the frozen objects through every
 * reference, with a mark bit per id; then a sweep of the handle table: every unmarked, unfrozen object
 * is freed (old objects' memory goes back to the size-class allocator; young ones are reclaimed when the
 * nursery is next emptied). Unreachable objects are therefore freed by the first major collection after
 * they became unreachable.
 *
 * <h2>Limits</h2>
 * A minor collection never fails half-way: before it starts, the heap's budget must have room to promote
 * every object in eden and the from-survivor (with a chunk of slack for the allocator's granularity); if
 * it has not, a major collection runs first, and if that does not make room the allocation that asked
 * fails with {@link org.mm4j.os.MemoryLimitExceededException} before anything changed.
 */
final class Collector implements GarbageCollector {
    /** Old-space size below which no automatic major collection starts. */
    private static final long MIN_OLD_TRIGGER = 16L << 20;
    /** Slack for the old-space allocator's granularity when checking room for promotion. */
    private static final long PROMOTION_SLACK = 2L << 20;
    /** Old pages less used than this are evacuated by a compaction. */
    private static final double SPARSE_PAGE_OCCUPANCY = 0.5;
    /** A major collection compacts when the old space holds more than this many times its objects' bytes. */
    private static final double COMPACTION_TRIGGER = 2.0;
    /** … and at least this much. */
    private static final long MIN_COMPACTION_BYTES = 32L << 20;

    private final HeapImpl heap;
    private final HandleTable table;
    private final Nursery nursery;
    private final MemorySegment view = HeapImpl.VIEW;

    private volatile boolean enabled = true;
    private volatile double growthFactor = 2.0;
    private long oldTrigger = MIN_OLD_TRIGGER;
    private final CopyOnWriteArrayList<Consumer<CollectionEvent>> callbacks = new CopyOnWriteArrayList<>();
    private final Counters[] counters = {new Counters(), new Counters()};
    /** Ids of old objects in the remembered set; each has the REMEMBERED header flag. */
    private IntStack remembered = new IntStack();
    private long frozen;
    /** The generation the last collection collected (a minor one may have grown into a major one). */
    private int lastGeneration;
    /** The thread running a collection, to refuse a collection started from inside one. */
    private Thread collecting;

    // state of one collection
    private long toTop;
    private long toEnd;
    private boolean promoteAll;
    private final IntStack promoted = new IntStack();
    private long[] marks = new long[0];
    private final IntStack markStack = new IntStack();
    private long collectedObjects;
    private long collectedBytes;
    private long survivedObjects;

    /**
     * The per-reference steps of tracing, made once (a lambda evaluated per object may allocate each
     * time); they return false so that {@link #anyReference} visits every reference.
     */
    private final java.util.function.IntPredicate evacuateEach = id -> {
        evacuate(id);
        return false;
    };
    private final java.util.function.IntPredicate markEach = id -> {
        mark(id);
        return false;
    };
    private final java.util.function.IntPredicate isYoung = this::isYoung;

    Collector(HeapImpl heap) {
        this.heap = heap;
        this.table = heap.table;
        this.nursery = heap.nursery;
    }

    private static final class Counters {
        long collections;
        long collectedObjects;
        long collectedBytes;
        long survivedObjects;
        long totalPauseNanos;
        long maxPauseNanos;
    }

    // ------------------------------------------------------------------ controls

    @Override
    public void collect() {
        collect(OLD);
    }

    @Override
    public void collect(int generation) {
        checkGeneration(generation);
        Mutator m = heap.enter();
        try {
            while (!collectFor(m, generation)) {
                // another thread was collecting: its collection may have been a smaller one; ours runs now
            }
        } finally {
            heap.exit(m);
        }
    }

    private static void checkGeneration(int generation) {
        if (generation != YOUNG && generation != OLD) {
            throw new IllegalArgumentException("generation must be " + YOUNG + " or " + OLD + ": " + generation);
        }
    }

    @Override
    public void enable() {
        enabled = true;
    }

    @Override
    public void disable() {
        enabled = false;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setOldGrowthFactor(double factor) {
        if (!(factor >= 1.1) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("growth factor must be a finite number >= 1.1: " + factor);
        }
        growthFactor = factor;
    }

    @Override
    public double oldGrowthFactor() {
        return growthFactor;
    }

    @Override
    public synchronized CollectionStats stats(int generation) {
        checkGeneration(generation);
        Counters c = counters[generation];
        return new CollectionStats(c.collections, c.collectedObjects, c.collectedBytes, c.survivedObjects,
                c.totalPauseNanos, c.maxPauseNanos);
    }

    @Override
    public void addCallback(Consumer<CollectionEvent> callback) {
        callbacks.add(Objects.requireNonNull(callback, "callback"));
    }

    @Override
    public void removeCallback(Consumer<CollectionEvent> callback) {
        callbacks.remove(callback);
    }

    // ------------------------------------------------------------------ running a collection

    /**
     * Runs a collection of {@code generation} for the calling thread, which is inside an operation.
     * Returns false without collecting if another thread was collecting (the caller, which waited for
     * it, should look again at what it needed).
     */
    boolean collectFor(Mutator m, int generation) {
        if (collecting == Thread.currentThread()) {
            throw new IllegalStateException("a collection cannot start inside another one");
        }
        if (!heap.gcLock.tryLock()) {
            heap.stepOutForCollection(m);
            return false;
        }
        List<Runnable> due;
        CollectionEvent done;
        try {
            fire(new CollectionEvent(CollectionEvent.Phase.START, generation, 0, 0, 0));
            long start = System.nanoTime();
            stopTheWorld(m);
            try {
                collecting = Thread.currentThread();
                due = run(generation, false);
            } finally {
                collecting = null;
                resumeTheWorld();
            }
            long pause = System.nanoTime() - start;
            done = new CollectionEvent(CollectionEvent.Phase.STOP, lastGeneration, collectedObjects, collectedBytes,
                    pause);
            record(lastGeneration, pause);
        } finally {
            heap.gcLock.unlock();
        }
        fire(done);
        for (Runnable callback : due) {
            callback.run();
        }
        return true;
    }

    /** Before allocating in the old space: a major collection if the old space outgrew its trigger. */
    void maybeCollectOld(Mutator m) {
        if (enabled && heap.oldBytes.get() > oldTrigger) {
            collectFor(m, OLD);
        }
    }

    private void fire(CollectionEvent event) {
        for (Consumer<CollectionEvent> callback : callbacks) {
            callback.accept(event);
        }
    }

    private synchronized void record(int generation, long pause) {
        for (int g = YOUNG; g <= generation; g++) {
            Counters c = counters[g];
            c.collections++;
            c.totalPauseNanos += pause;
            c.maxPauseNanos = Math.max(c.maxPauseNanos, pause);
        }
        Counters c = counters[generation];
        c.collectedObjects += collectedObjects;
        c.collectedBytes += collectedBytes;
        c.survivedObjects += survivedObjects;
    }

    /**
     * Takes the collection lock from inside an operation. Never blocks while in: a collector holding the
     * lock waits for this thread to step out, so a thread that cannot take it at once steps out, waits
     * for the collection to end, and tries again.
     */
    private void lockWorld(Mutator m) {
        while (!heap.gcLock.tryLock()) {
            heap.stepOutForCollection(m);
        }
    }

    /** Asks every other mutator to stop and waits until none is inside an operation. Lock held. */
    void stopTheWorld(Mutator self) {
        heap.stopRequested = true;
        for (Mutator other : heap.mutators) {
            int spins = 0;
            while (other != self && other.isIn()) {
                if (++spins < 1000) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(20));
                }
            }
        }
    }

    void resumeTheWorld() {
        heap.stopRequested = false;
    }

    /** The collection itself, with the world stopped. Returns the weak callbacks due. */
    private List<Runnable> run(int requested, boolean promoteEverything) {
        int generation = requested;
        collectedObjects = 0;
        collectedBytes = 0;
        survivedObjects = 0;
        prepare();
        if (!roomForPromotion()) {
            major(); // frees what it can, young objects' ids included, so that promotion has room
            heap.old.trim(); // and gives the old space's free pages back, which releases their budget
            if (!roomForPromotion()) {
                long worstCase = promotionWorstCase();
                heap.config.budget().reserve(worstCase); // throws MemoryLimitExceededException, as it should
                heap.config.budget().release(worstCase); // room appeared meanwhile: go on
            }
        }
        promoteAll = promoteEverything;
        minor();
        if (generation == YOUNG && enabled && heap.oldBytes.get() > oldTrigger) {
            generation = OLD; // promotion grew the old space past its trigger: collect it in this pause
        }
        lastGeneration = generation;
        if (generation == OLD) {
            major();
            long committed = heap.old.metrics().committedBytes();
            if (committed > MIN_COMPACTION_BYTES && committed > COMPACTION_TRIGGER * heap.oldBytes.get()) {
                evacuateSparsePages();
            }
        }
        if (generation == OLD || promoteEverything) {
            oldTrigger = Math.max(MIN_OLD_TRIGGER, (long) (heap.oldBytes.get() * growthFactor));
        }
        return heap.globals.clearDead(table::isLive);
    }

    /** Drops dead threads and collected global handles, fills every buffer's rest, gathers barrier records. */
    private void prepare() {
        heap.globals.drainDropped();
        heap.scopes.reclaim();
        for (Mutator m : heap.mutators) {
            HeapImpl.retireTlab(m);
            for (int i = 0; i < m.rememberedCount; i++) {
                remembered.push(m.remembered[i]);
            }
            m.rememberedCount = 0;
            if (!m.owner.isAlive()) {
                for (int i = 0; i < m.idCount; i++) {
                    table.unreserve(m.ids[i]);
                }
                m.idCount = 0;
                m.handleTop = 0;
                m.scope = null;
                heap.mutators.remove(m);
            }
        }
    }

    /** Whether the budget has room to promote every object in the nursery (see the class comment). */
    private boolean roomForPromotion() {
        return heap.config.budget().availableBytes() >= promotionWorstCase();
    }

    private long promotionWorstCase() {
        long used = nursery.usedBytes();
        return used == 0 ? 0 : used + used / 4 + PROMOTION_SLACK;
    }

    // ------------------------------------------------------------------ minor

    private void minor() {
        toTop = nursery.toBase();
        toEnd = toTop + nursery.survivorBytes;
        promoted.clear();
        forEachHandleRoot(this::evacuate);
        heap.globals.forEachStrong(this::evacuate);
        for (int i = 0; i < remembered.size(); i++) {
            int id = remembered.get(i);
            if (isLiveOrOpenScoped(id)) {
                anyReference(table.addressOf(id), evacuateEach);
            }
        }
        long scan = nursery.toBase();
        int next = 0;
        while (scan < toTop || next < promoted.size()) {
            while (scan < toTop) {
                anyReference(scan, evacuateEach);
                scan += HeapImpl.objectBytes(scan);
            }
            while (next < promoted.size()) {
                anyReference(table.addressOf(promoted.get(next++)), evacuateEach);
            }
        }
        sweepNursery(nursery.base, nursery.edenTop());
        sweepNursery(nursery.fromBase(), nursery.fromTop);
        rebuildRememberedSet();
        nursery.flip(toTop);
    }

    /** Copies a young object out of eden or the from-survivor, once; anything else is left alone. */
    private void evacuate(int id) {
        if (id == 0) {
            return;
        }
        long from = table.addressOf(id);
        if (!nursery.inFromSpaces(from)) {
            return; // old, or copied already
        }
        long header = ObjectHeader.read(view, from);
        long size = HeapImpl.objectBytes(from);
        int age = Math.min(ObjectHeader.age(header) + 1, HeapConfig.MAX_TENURING_THRESHOLD);
        long to;
        if (!promoteAll && age < heap.config.tenuringThreshold() && toEnd - toTop >= size) {
            to = toTop;
            toTop += size;
        } else {
            to = heap.old.allocateAddress(size);
            heap.oldBytes.addAndGet(size);
            heap.oldObjects.incrementAndGet();
            promoted.push(id);
        }
        MemorySegment.copy(view, from, view, to, size);
        ObjectHeader.write(view, to, ObjectHeader.withAge(header, age));
        table.setAddress(id, to);
        survivedObjects++;
    }

    /**
     * Tests the non-null references (ids) of the object at {@code address} in order, stopping at the
     * first for which {@code test} is true; returns whether there was one.
     */
    private boolean anyReference(long address, java.util.function.IntPredicate test) {
        Type type = Type.ofId(ObjectHeader.typeId(ObjectHeader.read(view, address)));
        if (type.isArray()) {
            if (type.elementKind() == Kind.REF) {
                int length = ObjectHeader.arrayLength(view, address);
                for (int i = 0; i < length; i++) {
                    int id = view.get(ValueLayout.JAVA_INT, address + HeapImpl.ARRAY_BASE + 4L * i);
                    if (id != 0 && test.test(id)) {
                        return true;
                    }
                }
            }
            return false;
        }
        for (int i = 0; i < type.refCount(); i++) {
            int id = view.get(ValueLayout.JAVA_INT, address + type.refOffset(i));
            if (id != 0 && test.test(id)) {
                return true;
            }
        }
        return false;
    }

    /** Frees the ids of the objects in [start, end) that were not copied out. */
    private void sweepNursery(long start, long end) {
        long a = start;
        while (a < end) {
            long header = ObjectHeader.read(view, a);
            if (ObjectHeader.typeId(header) == ObjectHeader.FILLER_TYPE) {
                a += Integer.toUnsignedLong(ObjectHeader.id(header));
                continue;
            }
            long size = HeapImpl.objectBytes(a);
            int id = ObjectHeader.id(header);
            if (table.isLive(id) && table.addressOf(id) == a) {
                table.free(id);
                collectedObjects++;
                collectedBytes += size;
            }
            a += size;
        }
    }

    /** Keeps exactly the old objects that refer to young ones, flagged, in the remembered set. */
    private void rebuildRememberedSet() {
        IntStack kept = new IntStack();
        keepIfReferringToYoung(remembered, kept);
        keepIfReferringToYoung(promoted, kept);
        remembered = kept;
    }

    private void keepIfReferringToYoung(IntStack candidates, IntStack kept) {
        for (int i = 0; i < candidates.size(); i++) {
            int id = candidates.get(i);
            if (!isLiveOrOpenScoped(id)) {
                continue;
            }
            long a = table.addressOf(id);
            long header = ObjectHeader.read(view, a);
            boolean young = refersToYoung(a);
            boolean flagged = (ObjectHeader.flags(header) & ObjectHeader.REMEMBERED) != 0;
            if (young && !flagged) {
                ObjectHeader.write(view, a, ObjectHeader.withFlags(header,
                        ObjectHeader.flags(header) | ObjectHeader.REMEMBERED));
                kept.push(id);
            } else if (!young && flagged) {
                ObjectHeader.write(view, a, ObjectHeader.withFlags(header,
                        ObjectHeader.flags(header) & ~ObjectHeader.REMEMBERED));
            } else if (young) {
                kept.push(id); // flagged and still needed; duplicates were prevented by the flag
            }
        }
    }

    /** The ids in the threads' handle stacks (never scoped objects: those are roots through their scopes). */
    private void forEachHandleRoot(java.util.function.IntConsumer action) {
        for (Mutator m : heap.mutators) {
            for (int i = 0; i < m.handleTop; i++) {
                int id = m.handles[i];
                if (id != 0) {
                    action.accept(id);
                }
            }
        }
    }

    /** Whether {@code id} is a live object or an object of an open scope (either may hold references). */
    private boolean isLiveOrOpenScoped(int id) {
        return table.isLive(id) || heap.scopes.isOpenScoped(id);
    }

    private boolean refersToYoung(long address) {
        return anyReference(address, isYoung);
    }

    private boolean isYoung(int id) {
        return nursery.contains(table.addressOf(id));
    }

    // ------------------------------------------------------------------ major

    private void major() {
        int limit = table.idLimit();
        if (marks.length < (limit + 63) >>> 6) {
            marks = new long[((limit + 63) >>> 6) * 2];
        } else {
            Arrays.fill(marks, 0);
        }
        forEachHandleRoot(this::mark);
        heap.globals.forEachStrong(this::mark);
        heap.scopes.forEachOpenObject(id -> anyReference(table.addressOf(id), markEach));
        table.forEachLive(id -> {
            if (heap.isPinned(id) || (frozen > 0 && isFrozen(table.addressOf(id)))) {
                mark(id);
            }
        });
        while (!markStack.isEmpty()) {
            int id = markStack.pop();
            if (table.isLive(id)) { // not a scoped object: those are traced from their scopes
                anyReference(table.addressOf(id), markEach);
            }
        }
        IntStack dead = new IntStack();
        table.forEachLive(id -> {
            if ((marks[id >>> 6] & (1L << id)) == 0) {
                dead.push(id);
            } else {
                survivedObjects++;
            }
        });
        for (int i = 0; i < dead.size(); i++) {
            int id = dead.get(i);
            long a = table.addressOf(id);
            long size = HeapImpl.objectBytes(a);
            if (!nursery.contains(a)) {
                heap.old.freeAddress(a);
                heap.oldBytes.addAndGet(-size);
                heap.oldObjects.decrementAndGet();
            }
            table.free(id);
            collectedObjects++;
            collectedBytes += size;
        }
        IntStack kept = new IntStack();
        for (int i = 0; i < remembered.size(); i++) {
            if (isLiveOrOpenScoped(remembered.get(i))) {
                kept.push(remembered.get(i));
            }
        }
        remembered = kept;
    }

    private void mark(int id) {
        if (id != 0 && (marks[id >>> 6] & (1L << id)) == 0) {
            marks[id >>> 6] |= 1L << id;
            markStack.push(id);
        }
    }

    private boolean isFrozen(long address) {
        return (ObjectHeader.flags(ObjectHeader.read(view, address)) & ObjectHeader.FROZEN) != 0;
    }

    // ------------------------------------------------------------------ moving single objects, compaction

    /**
     * Moves the young object {@code id} to the old space, with the world stopped (for a pin). Returns
     * without doing so if another thread was collecting; the caller looks again.
     */
    void promote(Mutator m, int id) {
        if (!heap.gcLock.tryLock()) {
            heap.stepOutForCollection(m);
            return;
        }
        try {
            stopTheWorld(m);
            try {
                long from = table.addressOf(id);
                if (nursery.contains(from)) {
                    long size = HeapImpl.objectBytes(from);
                    long to = heap.old.allocateAddress(size); // may throw: nothing changed yet
                    MemorySegment.copy(view, from, view, to, size);
                    table.setAddress(id, to);
                    heap.oldBytes.addAndGet(size);
                    heap.oldObjects.incrementAndGet();
                    if (refersToYoung(to)) {
                        long header = ObjectHeader.read(view, to);
                        ObjectHeader.write(view, to, ObjectHeader.withFlags(header,
                                ObjectHeader.flags(header) | ObjectHeader.REMEMBERED));
                        remembered.push(id);
                    }
                }
            } finally {
                resumeTheWorld();
            }
        } finally {
            heap.gcLock.unlock();
        }
    }

    @Override
    public Compaction compact() {
        return withWorldStopped(() -> {
            run(OLD, false);
            return evacuateSparsePages();
        });
    }

    /** With the world stopped, after a major collection: moves objects out of sparse old pages. */
    private Compaction evacuateSparsePages() {
        long before = heap.old.metrics().committedBytes();
        long[] ranges = heap.old.withdrawSparsePages(SPARSE_PAGE_OCCUPANCY);
        IntStack movable = new IntStack();
        if (ranges.length > 0) {
            table.forEachLive(id -> {
                long a = table.addressOf(id);
                if (!nursery.contains(a) && inRanges(ranges, a) && !heap.isPinned(id) && !isFrozen(a)) {
                    movable.push(id);
                }
            });
        }
        long moved = 0;
        long movedBytes = 0;
        for (int i = 0; i < movable.size(); i++) {
            int id = movable.get(i);
            long from = table.addressOf(id);
            long size = HeapImpl.objectBytes(from);
            long to;
            try {
                to = heap.old.allocateAddress(size);
            } catch (org.mm4j.os.MemoryLimitExceededException e) {
                break; // every move so far is complete; the rest stay where they are
            }
            MemorySegment.copy(view, from, view, to, size);
            table.setAddress(id, to);
            heap.old.freeAddress(from);
            moved++;
            movedBytes += size;
        }
        heap.old.reclaimAll();
        return new Compaction(ranges.length / 2, moved, movedBytes, before, heap.old.metrics().committedBytes());
    }

    private static boolean inRanges(long[] ranges, long address) {
        int lo = 0;
        int hi = ranges.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (address < ranges[2 * mid]) {
                hi = mid - 1;
            } else if (address >= ranges[2 * mid + 1]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ freeze

    @Override
    public long freeze() {
        return withWorldStopped(() -> {
            run(OLD, true); // everything live is old now
            long[] count = {0};
            table.forEachLive(id -> {
                long a = table.addressOf(id);
                long header = ObjectHeader.read(view, a);
                if ((ObjectHeader.flags(header) & ObjectHeader.FROZEN) == 0) {
                    ObjectHeader.write(view, a, ObjectHeader.withFlags(header,
                            ObjectHeader.flags(header) | ObjectHeader.FROZEN));
                    count[0]++;
                }
            });
            frozen += count[0];
            return count[0];
        });
    }

    @Override
    public long unfreeze() {
        return withWorldStopped(() -> {
            long[] count = {0};
            table.forEachLive(id -> {
                long a = table.addressOf(id);
                long header = ObjectHeader.read(view, a);
                if ((ObjectHeader.flags(header) & ObjectHeader.FROZEN) != 0) {
                    ObjectHeader.write(view, a, ObjectHeader.withFlags(header,
                            ObjectHeader.flags(header) & ~ObjectHeader.FROZEN));
                    count[0]++;
                }
            });
            frozen = 0;
            return count[0];
        });
    }

    @Override
    public long frozenCount() {
        return frozen;
    }

    /** Runs {@code body} on the calling thread with every other mutator stopped. */
    <T> T withWorldStopped(java.util.function.Supplier<T> body) {
        Mutator m = heap.enter();
        try {
            lockWorld(m);
            try {
                stopTheWorld(m);
                try {
                    collecting = Thread.currentThread();
                    return body.get();
                } finally {
                    collecting = null;
                    resumeTheWorld();
                }
            } finally {
                heap.gcLock.unlock();
            }
        } finally {
            heap.exit(m);
        }
    }

    // ------------------------------------------------------------------ statistics and verification

    HeapStats stats() {
        return withWorldStopped(() -> {
            long[] totals = new long[6]; // objects, bytes, young, old, frozen, large
            Map<Type, long[]> perType = new HashMap<>();
            table.forEachLive(id -> {
                long a = table.addressOf(id);
                long size = HeapImpl.objectBytes(a);
                Type type = Type.ofId(ObjectHeader.typeId(ObjectHeader.read(view, a)));
                totals[0]++;
                totals[1] += size;
                totals[nursery.contains(a) ? 2 : 3]++;
                if (isFrozen(a)) {
                    totals[4]++;
                }
                if (size > HeapImpl.MAX_SMALL_OBJECT) {
                    totals[5]++;
                }
                long[] t = perType.computeIfAbsent(type, k -> new long[2]);
                t[0]++;
                t[1] += size;
            });
            Map<Type, HeapStats.TypeStats> byType = new HashMap<>();
            perType.forEach((type, t) -> byType.put(type, new HeapStats.TypeStats(t[0], t[1],
                    (double) (t[1] + t[0] * HandleTable.ENTRY_BYTES) / t[0])));
            long committed = nursery.bytes + heap.old.metrics().committedBytes() + table.committedBytes();
            return new HeapStats(totals[0], totals[1], totals[2], totals[3], totals[5], totals[4], table.committedBytes(),
                    committed, Map.copyOf(byType));
        });
    }

    @Override
    public void verify() {
        withWorldStopped(() -> {
            new Verifier().run();
            return null;
        });
    }

    /** The checks of {@link #verify}, with the world stopped. */
    private final class Verifier {
        private final List<String> problems = new ArrayList<>();
        private final java.util.Set<Integer> inRememberedSet = new java.util.HashSet<>();

        void run() {
            for (Mutator m : heap.mutators) {
                HeapImpl.retireTlab(m);
                if (m.scope == null && m.handleTop != 0) {
                    fail("thread " + m.owner.getName() + " has no handle scope open but " + m.handleTop
                            + " handles on its stack");
                }
                for (int i = 0; i < m.rememberedCount; i++) {
                    inRememberedSet.add(m.remembered[i]);
                }
                for (int i = 0; i < m.handleTop; i++) {
                    int id = m.handles[i];
                    if (id != 0 && !table.isLive(id)) {
                        fail("thread " + m.owner.getName() + " holds a root to dead object #" + id);
                    }
                }
            }
            for (int i = 0; i < remembered.size(); i++) {
                inRememberedSet.add(remembered.get(i));
            }
            heap.globals.forEachStrong(id -> {
                if (!table.isLive(id)) {
                    fail("a global root refers to dead object #" + id);
                }
            });
            long[] oldCount = {0};
            table.forEachLive(id -> checkObject(id, oldCount));
            heap.scopes.forEachOpenObject(this::checkScopedObject);
            if (oldCount[0] != heap.oldObjects.get()) {
                fail(oldCount[0] + " objects in the old space, but the heap counts " + heap.oldObjects.get());
            }
            walk(nursery.base, nursery.edenTop(), "eden");
            walk(nursery.fromBase(), nursery.fromTop, "survivor");
            if (!problems.isEmpty()) {
                throw new IllegalStateException("heap '" + heap.name() + "' is inconsistent: " + problems.get(0)
                        + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""));
            }
        }

        private void fail(String problem) {
            if (problems.size() < 100) {
                problems.add(problem);
            }
        }

        private void checkObject(int id, long[] oldCount) {
            long a = table.addressOf(id);
            boolean young = nursery.contains(a);
            if (young && !(inRange(a, nursery.base, nursery.edenTop())
                    || inRange(a, nursery.fromBase(), nursery.fromTop))) {
                fail("object #" + id + " lies in an unused part of the nursery");
                return;
            }
            if (!young) {
                oldCount[0]++;
            } else if (heap.isPinned(id)) {
                fail("pinned object #" + id + " is in the nursery, where objects move");
            }
            long header = ObjectHeader.read(view, a);
            if (ObjectHeader.id(header) != id) {
                fail("object #" + id + " has the header of #" + ObjectHeader.id(header));
                return;
            }
            try {
                Type.ofId(ObjectHeader.typeId(header));
            } catch (IllegalArgumentException e) {
                fail("object #" + id + " has unknown type id " + ObjectHeader.typeId(header));
                return;
            }
            boolean[] refersToYoung = {false};
            anyReference(a, ref -> {
                if (heap.scopes.isOpenScoped(ref)) {
                    fail("object #" + id + " of the collected heap refers to scoped object #" + ref);
                } else if (!table.isLive(ref)) {
                    fail("object #" + id + " refers to dead object #" + ref);
                } else if (nursery.contains(table.addressOf(ref))) {
                    refersToYoung[0] = true;
                }
                return false;
            });
            if (!young && refersToYoung[0]) {
                if ((ObjectHeader.flags(header) & ObjectHeader.REMEMBERED) == 0 || !inRememberedSet.contains(id)) {
                    fail("old object #" + id + " refers to a young object but is not in the remembered set");
                }
            }
        }

        /** An open scope's object: its header, and references to live objects or to its scope's chain. */
        private void checkScopedObject(int id) {
            long a = table.addressOf(id);
            long header = ObjectHeader.read(view, a);
            if (ObjectHeader.id(header) != id) {
                fail("scoped object #" + id + " has the header of #" + ObjectHeader.id(header));
                return;
            }
            ScopeImpl scope = heap.scopes.scope(table.scopeOf(id));
            boolean[] refersToYoung = {false};
            anyReference(a, ref -> {
                int number = table.scopeOf(ref);
                if (number != 0) {
                    ScopeImpl target = heap.scopes.scope(number);
                    if (target == null || !target.isOpen() || !scope.isWithin(target)) {
                        fail("scoped object #" + id + " refers to object #" + ref + " of a scope it may outlive");
                    }
                } else if (!table.isLive(ref)) {
                    fail("scoped object #" + id + " refers to dead object #" + ref);
                } else if (nursery.contains(table.addressOf(ref))) {
                    refersToYoung[0] = true;
                }
                return false;
            });
            if (refersToYoung[0] && ((ObjectHeader.flags(header) & ObjectHeader.REMEMBERED) == 0
                    || !inRememberedSet.contains(id))) {
                fail("scoped object #" + id + " refers to a young object but is not in the remembered set");
            }
        }

        private boolean inRange(long a, long start, long end) {
            return a >= start && a < end;
        }

        private void walk(long start, long end, String space) {
            long a = start;
            while (a < end) {
                long header = ObjectHeader.read(view, a);
                long size;
                if (ObjectHeader.typeId(header) == ObjectHeader.FILLER_TYPE) {
                    size = Integer.toUnsignedLong(ObjectHeader.id(header));
                    if (size == 0 || (size & 7) != 0) {
                        fail(space + " has a filler of " + size + " bytes at offset " + (a - start));
                        return;
                    }
                } else {
                    try {
                        size = HeapImpl.objectBytes(a);
                    } catch (IllegalArgumentException e) {
                        fail(space + " has an unreadable header at offset " + (a - start));
                        return;
                    }
                }
                a += size;
            }
            if (a != end) {
                fail(space + " walk ends at offset " + (a - start) + ", past its end " + (end - start));
            }
        }
    }
}
