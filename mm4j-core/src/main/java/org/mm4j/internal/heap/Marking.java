package org.mm4j.internal.heap;

import java.util.ArrayDeque;

/**
 * Marking for old collections: snapshot-at-the-beginning (SATB), in bounded slices that collector threads
 * run beside the mutators and that mutators run as assists; a mark bit per id ({@link MarkBitmap}).
 *
 * <h2>The cycle</h2>
 * <pre>
 *   IDLE --(a minor collection's pause)--&gt; MARKING --(remark pause, no grey work left)--&gt; SWEEPING
 *     ^                                       |  ^                                           |
 *     |                                       +--+ remark found work: marking goes on        |
 *     +---------- (the pause that ends the sweep; the bitmap is cleared before the next start) --+
 * </pre>
 * The phase changes only while the world is stopped, and mutators read it ({@link HeapImpl#cyclePhase})
 * only inside operations, so every operation runs wholly in one phase. A full collection abandons a cycle
 * in any phase ({@link #abandon}).
 *
 * <h2>The snapshot</h2>
 * Marking starts in the pause of a minor collection (the <em>start</em>), which greys every root — the ids
 * on the threads' handle stacks, the global roots, the pinned objects; the frozen objects, never freed
 * or moved, are greyed lazily by the markers — and flags every young object it keeps with
 * {@link ObjectHeader#SNAPSHOT}. The objects that existed at the start are then exactly the old ones and
 * the flagged young ones (a young object the start did not copy was freed by it); objects allocated later
 * carry no flag, even when a later minor collection copies them. Markers trace every grey object, young or
 * old: they mark its referents and grey the ones they marked first. Three rules make marking complete:
 * <ol>
 *   <li><b>The snapshot.</b> A store while marking runs first greys the reference it overwrites, in any
 *       object ({@link HeapImpl#storeReference}: Yuasa's deletion barrier). Every path of the object graph
 *       as it was at the start, from a root greyed then, is traced: each edge on it either is still in
 *       place when a marker traces its holder, or its target was greyed when it was overwritten. So every
 *       object reachable at the start is marked.</li>
 *   <li><b>New objects are black</b>: allocated in the old space, or promoted without the flag, they are
 *       marked as they arrive there ({@link #allocatedOld}, {@link #promoted}); young, they are never
 *       condemned. They need no tracing: every reference in them was stored while marking ran, which
 *       greys the stored object (rule 3), or later, which needs nothing.</li>
 *   <li><b>Handles.</b> SATB alone assumes that the program reaches objects only through roots. mm4j's
 *       handles can outlive their scope: such a handle still works until a collection frees its object,
 *       {@code newLocal} makes it a root again, and reference reads through it reach further objects
 *       that were unreachable at the start. So while marking runs, every operation that turns a handle
 *       into a root or a stored reference greys the object ({@link HeapImpl#holdBarrier}): {@code
 *       newLocal}, {@code newGlobal}, {@code pin}, {@code escape}, the target of a store, and every handle
 *       a reference read returns. Greying an object at a time t gets everything reachable from it at t
 *       marked, by rule 1's argument with a snapshot at t.</li>
 * </ol>
 * An object the program can reach when marking ends was reachable at the start (rule 1), is new (rule 2),
 * or was made reachable again through a handle, which greyed it or an object that reached it then (rule
 * 3). So when the remark pause finds no grey work left — every mutator's grey buffer drained, no packet
 * left, the frozen objects done — the unmarked objects that existed at the start are unreachable, and only
 * other such objects refer to them: they are <em>condemned</em> ({@link #isCondemned}). New objects never
 * refer to condemned ones (their references were all greyed when stored).
 *
 * <p>Greying the start's old referents of young objects instead of tracing young objects, as a collector
 * whose markers see only the old space must, would be simpler but not precise: the start's minor
 * collection keeps young objects that only dead old objects in the remembered set refer to, and what they
 * refer to would survive the cycle. Here an object unreachable when a cycle starts is freed by that cycle.
 *
 * <h2>Sweeping and stale handles</h2>
 * Condemned objects are freed by {@link Sweeper} beside the mutators, in two steps: each is first unlinked
 * from the handle table (its handles stale from then on), and its memory and id are given back only after a
 * grace period, once every operation that was in progress at the unlinking has ended — so no mutator ever
 * reads an object or an entry while it is being freed or reused. A condemned young object's id is freed by
 * the sweep and its memory by the next minor collection, which does not copy it: roots do not reach it,
 * and while sweeping, condemned (or unlinked) old objects in the remembered set are not roots. Until the
 * sweep reaches it, a mutator may still hold a handle to a condemned object that no root holds; its memory
 * is intact until then, and afterwards the handle is stale as for any freed object. Such an object must not
 * become reachable again, or a live object would refer to memory that the sweep frees (or to an id reused
 * by then): while sweeping, every operation that would make a root or a reference from
 * a handle, or read a reference out of an object, throws {@link org.mm4j.heap.StaleHandleException} for a
 * condemned object, and {@code isLive} answers false. For the program, the object died when marking ended;
 * the sweep only gives its memory back.
 *
 * <h2>Weak globals</h2>
 * Cleared in the remark pause that ends marking when their object is condemned — not before (a weak global
 * read while marking runs returns a handle, which greys the object), and not later (once sweeping starts,
 * reading it would hand out a condemned object).
 *
 * <h2>Work and threads</h2>
 * Grey work is kept as ids: a marked id on a tracing stack or in a shared packet is grey; its referents
 * are marked with an atomic OR ({@link MarkBitmap#mark}) by whichever thread gets there first. A slice
 * runs inside an operation ({@link HeapImpl#enter} … {@link HeapImpl#exit}), so it never overlaps a pause,
 * which moves young objects and frees ids; between slices ids may die, so tracing skips ids that are no
 * longer live, and an id that was reused meanwhile is traced conservatively (marking too much is safe).
 * A slice ends with its tracing stack published as packets: between slices all grey work is shared, so
 * the remark pause sees all of it. Mutators' barriers fill per-thread grey buffers of ids not yet marked
 * (<em>candidates</em>), handed over when full and drained at remark. Packets hold at most {@link #PACKET}
 * ids and are recycled (up to 1,024 kept spare), so that a slice takes a bounded share of the work, and
 * marking does not allocate on the Java heap as it goes: that heap's own collector pauses the program
 * too.
 *
 * <p>Memory ordering: a marker reads an id's entry with an acquire load of its flags, which pairs with the
 * release store of {@link HandleTable#activate}, so a newly live entry is seen with its address and its
 * object's header and zeroed fields. References are aligned 4-byte slots, read and written atomically; a
 * marker's read racing with a store sees the old or the new id, and either way the old one is marked
 * (traced, or greyed by the barrier). The shared packets are guarded by this object's lock; the bitmap's
 * bits are set with an atomic OR (see {@link MarkBitmap}).
 */
final class Marking {
    static final int IDLE = 0;
    static final int MARKING = 1;
    static final int SWEEPING = 2;

    private static final int[] NONE = {};
    /** Frozen roots greyed per refill. */
    private static final int FROZEN_BATCH = 512;
    /** The most ids a packet holds; a mutator's grey buffer is as long ({@link Mutator#grey}). */
    static final int PACKET = 1024;
    /**
     * Empty packets kept for reuse, at most (4 KiB each; kept for the heap's life, up to 4 MiB of Java heap):
     * about what is in flight at once on a heap of a few GiB whose mutators read many objects while marking
     * runs (their barriers' candidates).
     */
    private static final int MAX_SPARE_PACKETS = 1024;
    /**
     * Grey objects a slice takes off its stack at once: it looks up all their entries, then reads all their
     * headers, then traces them, so that the cache misses of each round overlap instead of following one
     * another (tracing is bound by them: an entry, an object, a mark bit per object). On a large heap whose
     * objects a program has scattered, the more misses in flight the better: 64 traced a 2 GiB heap in
     * about half the CPU time that 8 took.
     */
    static final int BATCH = 64;

    private final HeapImpl heap;
    private final HandleTable table;
    private final Nursery nursery;
    final MarkBitmap marks;

    /** The phase; written only with the world stopped. Volatile for collector threads polling between slices. */
    private volatile int phase = IDLE;
    /** Cycles started, and cycles abandoned by a full collection. */
    private long started;
    private long abandoned;
    /** Whether the bitmap may hold bits: set by a start, cleared when {@link #clearSlice} has gone over it. */
    private boolean dirty;
    private int clearedPages;

    // shared grey work, guarded by this
    /** Packets of marked ids to trace (with array continuations, see {@link References#markEach}). */
    private final ArrayDeque<Packet> grey = new ArrayDeque<>();
    /** A mutator came to assist: a marker keeping its grey work is to share it (see {@link #slice}). */
    private volatile boolean shareWanted;
    /** Packets of ids to mark, then trace: mutators' grey buffers, pinned objects. */
    private final ArrayDeque<Packet> candidates = new ArrayDeque<>();
    /** Empty packets, for reuse. */
    private final ArrayDeque<Packet> spare = new ArrayDeque<>();
    /** The frozen objects at the start (roots, scanned lazily: they are never freed or moved). */
    private int[] frozen = NONE;
    private int frozenNext;

    /** Up to {@link #PACKET} ids: grey ones, or candidates. */
    private static final class Packet {
        /** {@link #PACKET} long; swapped with a mutator's full grey buffer (see {@link #flush}). */
        int[] ids = new int[PACKET];
        int size;
    }

    /** Grey ids found in a pause (the start's minor collection), published when it ends. */
    private final Globals.IntStack pauseGrey = new Globals.IntStack();

    /** Objects traced and references read in this cycle (for the pacer and statistics). */
    private long tracedObjects;
    private long tracedSlots;

    Marking(HeapImpl heap) {
        this.heap = heap;
        this.table = heap.table;
        this.nursery = heap.nursery;
        this.marks = new MarkBitmap(heap.config.maxObjects());
    }

    int phase() {
        return phase;
    }

    private void setPhase(int p) {
        phase = p;
        heap.cyclePhase = p;
    }

    synchronized long tracedObjects() {
        return tracedObjects;
    }

    synchronized long tracedSlots() {
        return tracedSlots;
    }

    // ------------------------------------------------------------------ starting

    /**
     * Starts marking, with the world stopped, before the minor collection whose Cheney scan greys the old
     * objects referred to by roots and surviving young objects ({@link #greyInPause}). Greys the pinned
     * objects and takes the frozen ones as roots.
     */
    void start(int[] pinned, int[] frozenRoots) {
        if (dirty) {
            marks.clearPages(clearedPages, marks.pageCount()); // what the idle phase did not clear yet
        }
        dirty = true;
        clearedPages = 0;
        started++;
        synchronized (this) {
            tracedObjects = 0;
            tracedSlots = 0;
        }
        setPhase(MARKING);
        addCandidates(pinned, pinned.length);
        frozen = frozenRoots;
        frozenNext = 0;
    }

    /** With the world stopped while marking starts: greys a root. */
    void greyInPause(int id) {
        if (marks.mark(id)) {
            pauseGrey.push(id);
        }
    }

    /** With the world stopped: publishes what {@link #greyInPause} found. */
    void endPause() {
        publish(pauseGrey);
    }

    /**
     * A new object was allocated in the old space directly: from the start of marking to the end of
     * sweeping it is marked at once (allocated black), see the class comment. Thread-safe.
     */
    void allocatedOld(int id) {
        if (phase != IDLE) {
            marks.mark(id);
        }
    }

    /**
     * A young object with header {@code header} was promoted (by a minor collection after the one that
     * started marking, or for a pin), with the world stopped: while a cycle runs, one allocated since
     * marking started (no {@link ObjectHeader#SNAPSHOT} flag) is marked, as a new object allocated in the
     * old space would be. One that existed at the start keeps its mark, whichever it is: marking decides
     * about it as about any object of the snapshot.
     */
    void promoted(int id, long header) {
        if (phase != IDLE && (ObjectHeader.flags(header) & ObjectHeader.SNAPSHOT) == 0) {
            marks.markInPause(id);
        }
    }

    // ------------------------------------------------------------------ the mutators' barrier

    /** Greys {@code id} (nonzero) for mutator {@code m}, inside an operation while marking runs. */
    void grey(Mutator m, int id) {
        if (marks.isMarked(id)) {
            return; // marked already (a racy read: at worst a duplicate, which marking filters)
        }
        if (m.greyCount == m.grey.length) {
            flush(m);
        }
        m.grey[m.greyCount++] = id;
    }

    /** Hands {@code m}'s grey buffer to the markers (its thread inside an operation, or the world stopped). */
    void flush(Mutator m) {
        if (m.greyCount > 0) {
            synchronized (this) {
                Packet p = takeSpare();
                int[] buffer = m.grey; // the buffer becomes the packet, the packet's array the buffer: no copy
                m.grey = p.ids;
                p.ids = buffer;
                p.size = m.greyCount;
                candidates.add(p);
            }
            m.greyCount = 0;
        }
    }

    /** Shares {@code ids[0, count)} as candidates. */
    private synchronized void addCandidates(int[] ids, int count) {
        for (int from = 0; from < count; from += PACKET) {
            candidates.add(packetOf(ids, from, Math.min(count, from + PACKET)));
        }
    }

    /** A spare packet (or a new one) holding {@code ids[from, to)}, at most {@link #PACKET}. Lock held. */
    private Packet packetOf(int[] ids, int from, int to) {
        Packet p = takeSpare();
        System.arraycopy(ids, from, p.ids, 0, to - from);
        p.size = to - from;
        return p;
    }

    /** A spare packet, or a new one if none is spare. Lock held. */
    private Packet takeSpare() {
        return spare.isEmpty() ? new Packet() : spare.pop();
    }

    /** Keeps an emptied packet for reuse, up to {@link #MAX_SPARE_PACKETS}. Lock held. */
    private void recycle(Packet p) {
        if (spare.size() < MAX_SPARE_PACKETS) {
            spare.push(p);
        }
    }

    /**
     * Whether the object {@code id} at {@code address} is condemned: the last marking ended without
     * marking it, and sweeping has not freed it yet (see the class comment). Inside an operation.
     */
    boolean isCondemned(int id, long address) {
        return phase == SWEEPING && !marks.isMarked(id) && heap.table.scopeOf(id) == 0 && (!nursery.contains(address)
                || (ObjectHeader.flags(ObjectHeader.read(HeapImpl.VIEW, address)) & ObjectHeader.SNAPSHOT) != 0);
    }

    // ------------------------------------------------------------------ tracing

    /**
     * One slice of marking on thread {@code w}: traces grey objects until the budget is spent; returns true
     * if it ran out of grey work (not counting the grey buffers of mutators, which only the remark pause
     * drains), false if the budget ended it. Inside an operation, or with the world stopped.
     */
    boolean slice(Mutator w, WorkBudget budget) {
        return slice(w, budget, false);
    }

    /**
     * As {@link #slice(Mutator, WorkBudget)}; with {@code keepWork}, the grey objects left when the budget
     * ends stay on {@code w}'s stack for its next slice instead of being shared (copied into a packet that
     * the next slice would take back at once). Only for the one marker that runs slice after slice (a
     * heap's only collector thread): the remark takes the work from there, and once a mutator has come to
     * assist ({@link #wantShared}) the next slice shares it after all, so that the assists find work.
     */
    boolean slice(Mutator w, WorkBudget budget, boolean keepWork) {
        Globals.IntStack stack = w.markStack;
        long objects = 0;
        long slots = 0;
        try {
            while (true) {
                if (stack.isEmpty() && !refill(stack)) {
                    return true;
                }
                int units;
                if (stack.peek() < 0) { // an array's continuation: the rest of it, from a slot on
                    int id = ~stack.pop();
                    int read = trace(id, stack.pop(), stack);
                    units = 1 + Math.max(0, read);
                    if (read >= 0) {
                        objects++;
                        slots += read;
                    }
                } else {
                    int read = traceBatch(w, stack, (int) Math.min(BATCH, Math.max(1, budget.unitsLeft())));
                    objects += w.markTraced;
                    slots += read;
                    units = w.markTraced + read;
                }
                if (budget.spend(units)) {
                    return stack.isEmpty() && !hasSharedWork();
                }
            }
        } finally {
            if (!keepWork) {
                publish(stack);
            } else if (shareWanted) {
                shareWanted = false;
                publish(stack);
            }
            synchronized (this) {
                tracedObjects += objects;
                tracedSlots += slots;
            }
        }
    }

    /**
     * Traces up to {@code most} (at most {@link #BATCH}) whole objects from the top of {@code stack}, on
     * {@code w}'s scratch arrays: their entries first, then their headers, then their references. Returns
     * the slots read; leaves in {@code w.markTraced} how many objects were live and traced. A budget of a
     * few units (a test's step) takes as many objects, no more. Once the batch has read
     * {@link References#ARRAY_CHUNK} slots (long arrays), the objects it has not traced yet go back on the
     * stack, grey as they were: a batch is never much longer than one chunk of an array, so that a slice
     * checks its deadline, and a stop request, as often as before.
     */
    private int traceBatch(Mutator w, Globals.IntStack stack, int most) {
        int[] ids = w.markIds;
        long[] addresses = w.markAddresses;
        long[] headers = w.markHeaders;
        int n = 0;
        while (n < most && !stack.isEmpty() && stack.peek() >= 0) {
            ids[n++] = stack.pop();
        }
        for (int i = 0; i < n; i++) {
            addresses[i] = table.liveAddressAcquire(ids[i]); // 0: died (young) since it was greyed
        }
        for (int i = 0; i < n; i++) {
            if (addresses[i] != 0) {
                headers[i] = ObjectHeader.read(HeapImpl.VIEW, addresses[i]);
            }
        }
        int traced = 0;
        int slots = 0;
        for (int i = 0; i < n; i++) {
            if (slots >= References.ARRAY_CHUNK) {
                for (int j = n - 1; j >= i; j--) {
                    stack.push(ids[j]);
                }
                break;
            }
            if (addresses[i] != 0) {
                slots += References.markEach(ids[i], addresses[i], headers[i], 0, marks, stack);
                traced++;
            }
        }
        w.markTraced = traced;
        return slots;
    }

    /** Traces the object {@code id} from slot {@code from}; returns the slots read, or -1 if it was skipped. */
    private int trace(int id, int from, Globals.IntStack stack) {
        long address = table.liveAddressAcquire(id);
        if (address == 0) {
            return -1; // died (young) since it was greyed
        }
        return References.markEach(id, address, from, marks, stack);
    }

    /** Moves grey work to an empty {@code stack}; false if there was none. */
    private boolean refill(Globals.IntStack stack) {
        while (true) {
            Packet packet;
            boolean marked;
            synchronized (this) {
                packet = grey.poll();
                marked = packet != null;
                if (packet == null) {
                    packet = candidates.poll();
                }
                if (packet == null && frozenNext < frozen.length) {
                    int n = Math.min(FROZEN_BATCH, frozen.length - frozenNext);
                    packet = packetOf(frozen, frozenNext, frozenNext + n);
                    frozenNext += n;
                }
            }
            if (packet == null) {
                return false;
            }
            int[] ids = packet.ids;
            for (int i = 0; i < packet.size; i++) {
                if (marked || marks.mark(ids[i])) {
                    stack.push(ids[i]);
                }
            }
            synchronized (this) {
                recycle(packet);
            }
            if (!stack.isEmpty()) {
                return true;
            }
        }
    }

    private synchronized boolean hasSharedWork() {
        return !grey.isEmpty() || !candidates.isEmpty() || frozenNext < frozen.length;
    }

    /**
     * Shares a tracing stack's grey ids as packets, in order (a continuation's slot index stays in the packet
     * of its id); empties it.
     */
    void publish(Globals.IntStack stack) {
        int size = stack.size();
        if (size == 0) {
            return;
        }
        int[] items = stack.items();
        synchronized (this) {
            for (int from = 0; from < size; ) {
                int to = Math.min(size, from + PACKET);
                if (to < size && items[to] < 0) {
                    to--; // items[to - 1] is that continuation's slot index
                }
                grey.add(packetOf(items, from, to));
                from = to;
            }
        }
        stack.clear();
    }

    // ------------------------------------------------------------------ remark

    /** A mutator is about to assist: a marker that keeps its grey work shares it at its next slice's end. */
    void wantShared() {
        if (!shareWanted) {
            shareWanted = true;
        }
    }

    /**
     * The remark pause, with the world stopped: drains every mutator's grey buffer and traces within
     * {@code budget}. Returns true if marking is complete — no grey work anywhere — and then the phase is
     * {@link #SWEEPING}; false if grey work is left, which marking goes on with concurrently.
     */
    boolean remark(Mutator self, WorkBudget budget) {
        for (Mutator m : heap.mutators) {
            flush(m);
            if (m != self) {
                publish(m.markStack); // a collector thread's work kept between its slices
            }
        }
        if (!slice(self, budget) || hasSharedWork()) {
            return false;
        }
        setPhase(SWEEPING);
        return true;
    }

    // ------------------------------------------------------------------ ending and abandoning

    /** With the world stopped, in the pause that ends the sweep: the cycle is over. */
    void endCycle() {
        setPhase(IDLE);
    }

    /**
     * With the world stopped: drops the cycle in progress, whatever its phase (a full collection takes
     * over). Grey work and buffers are dropped; the bitmap is left dirty.
     */
    void abandon() {
        if (phase != IDLE) {
            abandoned++;
        }
        setPhase(IDLE);
        synchronized (this) {
            grey.forEach(this::recycle);
            grey.clear();
            candidates.forEach(this::recycle);
            candidates.clear();
            frozen = NONE;
            frozenNext = 0;
        }
        pauseGrey.clear();
        for (Mutator m : heap.mutators) {
            m.greyCount = 0;
            m.markStack.clear();
        }
    }

    /**
     * Clears part of the bitmap while idle (no thread sets bits then); returns true when it is all clear.
     * Inside an operation or with the world stopped; does nothing unless idle, since a caller may have
     * looked at the phase outside an operation.
     */
    synchronized boolean clearSlice(int pages) {
        if (phase != IDLE) {
            return false; // a cycle started since the caller looked: its bits are not to be cleared
        }
        if (!dirty) {
            return true;
        }
        int end = (int) Math.min(marks.pageCount(), (long) clearedPages + pages);
        marks.clearPages(clearedPages, end);
        clearedPages = end;
        if (end == marks.pageCount()) {
            dirty = false;
        }
        return !dirty;
    }

    boolean isDirty() {
        return dirty;
    }

    // ------------------------------------------------------------------ full (stop-the-world) marking

    /**
     * With the world stopped and no cycle in progress: marks every object reachable from {@code roots}
     * (ids), young and old, tracing through both.
     */
    void markAll(Mutator self, Globals.IntStack roots) {
        marks.clear();
        dirty = true;
        clearedPages = 0;
        for (int i = 0; i < roots.size(); i++) {
            int id = roots.get(i);
            if (id != 0 && marks.mark(id)) {
                self.markStack.push(id);
            }
        }
        slice(self, WorkBudget.unlimited());
    }

    /** Cycles started so far (tests). */
    long started() {
        return started;
    }

    /** Cycles abandoned by full collections so far (tests). */
    long abandoned() {
        return abandoned;
    }

    /** Whether {@code id} is marked; for sweeping and verification (the world stopped). */
    boolean isMarked(int id) {
        return marks.isMarked(id);
    }

    /** For verification, the world stopped: whether grey work is left anywhere, buffers included. */
    boolean hasGreyWork() {
        for (Mutator m : heap.mutators) {
            if (m.greyCount > 0 || !m.markStack.isEmpty()) {
                return true;
            }
        }
        return hasSharedWork() || !pauseGrey.isEmpty();
    }

    /** For verification, the world stopped: calls {@code action} with every grey or candidate id. */
    synchronized void forEachGrey(java.util.function.IntConsumer action) {
        for (Packet packet : grey) {
            forEachInPacket(packet.ids, packet.size, action);
        }
        for (Packet packet : candidates) {
            for (int i = 0; i < packet.size; i++) {
                action.accept(packet.ids[i]);
            }
        }
        for (int i = frozenNext; i < frozen.length; i++) {
            action.accept(frozen[i]);
        }
        for (Mutator m : heap.mutators) {
            for (int i = 0; i < m.greyCount; i++) {
                action.accept(m.grey[i]);
            }
            forEachInPacket(m.markStack.items(), m.markStack.size(), action);
        }
    }

    /**
     * The grey ids among {@code packet[0, size)}, a packet's or a tracing stack's: ids, and continuations (a
     * slot index, then {@code ~id}).
     */
    private static void forEachInPacket(int[] packet, int size, java.util.function.IntConsumer action) {
        for (int i = 0; i < size; i++) {
            if (packet[i] < 0) {
                action.accept(~packet[i]); // an array's continuation: its slot index came before
            } else if (i + 1 == size || packet[i + 1] >= 0) {
                action.accept(packet[i]);
            }
        }
    }
}
