package org.mm4j.internal.heap;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.mm4j.heap.CollectionStats;
import org.mm4j.heap.GarbageCollector;
import org.mm4j.heap.Heap;
import org.mm4j.heap.HeapStats;
import org.mm4j.heap.Type;
import org.mm4j.internal.heap.Globals.IntStack;

/**
 * The generational collector: minor collections of the nursery ({@link Scavenger}), old collections
 * that mark and sweep concurrently (a <em>cycle</em>: {@link Marking}, {@link Sweeper}, paced by
 * {@link Pacer}), and full collections that do everything in one pause.
 *
 * <h2>Pauses</h2>
 * Every pause takes the heap's collection lock and stops the world (the protocol in {@link Mutator}):
 * <ul>
 *   <li><b>Minor collection</b>: when eden — as much of it as the pacer lets mutators use — is full. The
 *       one that starts a cycle also greys the old objects that roots and young survivors refer to.</li>
 *   <li><b>Remark</b>: when the markers run out of grey work; drains the mutators' grey buffers and
 *       traces for up to a third of the pause target; ends marking when nothing is left, else lets it
 *       go on.</li>
 *   <li><b>End of the sweep</b>: once the concurrent sweep has passed every id, sweeps the few handed out
 *       since and frees the objects whose grace period had not yet passed ({@link Sweeper#finish}).</li>
 *   <li><b>Evacuation step</b>: between cycles, when the last one left the old space holding more than
 *       {@link #COMPACTION_TRIGGER} times its objects' bytes: moves objects out of sparse pages for up to
 *       a third of the pause target ({@link Compactor}); the first withdraws the pages, the last gives them
 *       back. Each leaves the mutators {@link #SLICE_GAP} times its length.</li>
 *   <li><b>Scope reclaim</b>: gives a chunk of closed scopes' ids back, before a scope opens with very
 *       many waiting (each minor collection gives a chunk back too).</li>
 *   <li><b>Full collection</b>: {@code collect(OLD)}, {@code compact()}, {@code freeze()}, an allocation
 *       that reached the heap's limit, or a minor collection without room to promote. A minor collection,
 *       then marking from every root through young and old objects, then a sweep of every id; a cycle in
 *       progress is abandoned first. An object unreachable when a full collection starts is freed by
 *       it.</li>
 * </ul>
 * Between pauses, collector threads ({@link Heap.Builder#collectorThreads}) trace and then sweep in slices
 * inside the mutator protocol, and mutators that allocate assist when the pacer says marking falls behind
 * (or always, with no collector threads: marking is then incremental), and sweep steps of their own when
 * there are no collector threads or the old space has passed its goal. A cycle's pauses are therefore a
 * few: the minor collection that starts it, one remark or more, and the end of the sweep.
 *
 * <h2>Stopping the world</h2>
 * A pause first waits for every other thread to step out of its operation. A thread descheduled inside
 * one (preempted, or its virtual CPU taken by the hypervisor) holds the pause up, and with it every thread
 * that tries to begin an operation meanwhile. A cycle's pause and an evacuation step are optional at that
 * moment: when the program has not stopped within {@link #stopPatienceNanos() an eighth of the pause
 * target} (with their third of it for work, they stay within half of it), they give up, let the program
 * go on, and are tried again once the thread that held them up has moved on to another operation (or
 * after {@link #RETRY_PATIENCE_FACTOR} times the pause target). After {@link #MAX_STOPS_GIVEN_UP} in a
 * row the next one waits as long as it takes. Minor and full collections always wait: the allocation
 * that needs them cannot go on without them.
 *
 * <h2>Limits</h2>
 * A minor collection never fails half-way: before it starts, the heap's budget must have room to promote
 * every object in eden and the from-survivor (with a chunk of slack for the allocator's granularity); if
 * it has not, a full collection runs first (and compacts the old space if its freed slots, scattered over
 * pages, still hold the budget), and if that does not make room the allocation that asked fails with
 * {@link org.mm4j.os.MemoryLimitExceededException} before anything changed.
 */
final class Collector implements GarbageCollector {
    /** Slack for the old-space allocator's granularity when checking room for promotion. */
    private static final long PROMOTION_SLACK = 2L << 20;
    /** A full collection compacts when the old space holds more than this many times its objects' bytes. */
    private static final double COMPACTION_TRIGGER = 2.0;
    /** … and at least this much. */
    private static final long MIN_COMPACTION_BYTES = 32L << 20;
    /** A collector thread's marking slice ends after this long (or at once when a pause is asked for). */
    private static final long CONCURRENT_SLICE_NANOS = 1_000_000;
    /** How long an idle collector thread sleeps before it looks again. */
    private static final long IDLE_PARK_NANOS = 5_000_000;
    /** Bitmap pages cleared per idle step (64 Ki ids each). */
    private static final int CLEAR_PAGES = 16;
    /** What giving one closed scope's id back to the handle table costs, about. */
    private static final long RECLAIM_NANOS_PER_ID = 50;
    /**
     * Evacuation steps, and sweep steps run as assists, leave the mutators this many times their own
     * length between them.
     */
    private static final int SLICE_GAP = 3;
    /**
     * A stop spins this long before it parks between its looks at the threads still inside operations.
     * Parked, the stopping thread wakes when the OS next gives it a CPU: on a machine whose cores the
     * program keeps busy, a millisecond or more later (a stop of 1.21 ms, with nothing else amiss, in
     * {@code bench gc} at 49b30e7). An optional pause's patience (an eighth of the pause target) is shorter
     * at targets up to 1.6 ms, so it does not park; after {@link #MAX_STOPS_GIVEN_UP} given up, it waits as a
     * minor collection does.
     */
    private static final long STOP_SPIN_NANOS = 200_000;
    /** Optional pauses given up in a row, after which the next one waits for the program to stop. */
    static final int MAX_STOPS_GIVEN_UP = 8;
    /**
     * After giving up, an optional pause is tried again when the thread that held it up has moved on,
     * or after this many times the pause target.
     */
    private static final int RETRY_PATIENCE_FACTOR = 8;

    private final HeapImpl heap;
    private final HandleTable table;
    private final Nursery nursery;
    private final MemorySegment view = HeapImpl.VIEW;
    private final Marking marking;
    private final Scavenger scavenger;
    final Sweeper sweeper;
    private final Compactor compactor;
    final Pacer pacer;
    private final int threads;

    private volatile boolean enabled = true;
    /** Tests turn this off to step cycles by hand: no automatic start, assist or collector thread step. */
    private volatile boolean automatic = true;
    /** A cycle starts at the next minor collection, whatever the pacer says (tests, and old allocation). */
    private volatile boolean startRequested;
    /** Tests: cycles follow one another without pause. */
    private volatile boolean continuous;
    /** A cycle left the old space fragmented: an evacuation should start between cycles. */
    private volatile boolean evacuationDue;
    private final LongAdder assistNanos = new LongAdder();
    private final CopyOnWriteArrayList<Consumer<CollectionEvent>> callbacks = new CopyOnWriteArrayList<>();
    private final Counters[] counters = {new Counters(), new Counters()};
    /** Ids of the frozen objects; each has the FROZEN header flag. */
    private final IntStack frozenIds = new IntStack();
    /** The thread running a collection, to refuse a collection started from inside one. */
    private Thread collecting;
    private volatile CollectorThread[] workers;

    // one collection
    private long collectedObjects;
    private long collectedBytes;
    private long survivedObjects;
    private boolean startedCycle;
    /** Callbacks and events due once the lock is released. */
    private final List<Runnable> due = new ArrayList<>();
    private final List<CollectionEvent> events = new ArrayList<>();

    // the current cycle
    private long cyclePauseNanos;
    private long cycleStopNanos;
    private long cycleMaxPauseNanos;
    /** The last evacuation step's or sweep assist's length and end (see {@link #SLICE_GAP}). */
    private long lastSliceNanos;
    private long lastSliceEnd;
    /** Held by the thread running a sweep step ({@link Sweeper} is stepped by one thread at a time). */
    private final ReentrantLock sweepLock = new ReentrantLock();
    /** Whether the last sweep step found the sweep held up ({@link Sweeper#isHeldUp}); a hint. */
    private volatile boolean sweepHeldUp;
    private long cycles;
    /** Remark pauses that left grey work to concurrent marking; cycle pauses so far (tests). */
    private long remarksResumed;
    private long pauses;

    // optional pauses that gave up stopping the world (lock held to write)
    private volatile long stopsGivenUp;
    private int stopsGivenUpInARow;
    /** The thread that held the last given-up pause up, its state word then, and when. */
    private volatile Mutator straggler;
    private volatile int stragglerState;
    private volatile long gaveUpAt;

    Collector(HeapImpl heap) {
        this.heap = heap;
        this.table = heap.table;
        this.nursery = heap.nursery;
        this.marking = heap.marking;
        this.scavenger = new Scavenger(heap, marking);
        this.sweeper = new Sweeper(heap, marking);
        this.compactor = new Compactor(heap);
        this.pacer = new Pacer(heap, heap.config.pauseTargetNanos(), heap.config.oldGrowthFactor());
        nursery.setEdenBytes(Pacer.INITIAL_EDEN); // grows from there while minor collections stay short
        this.threads = heap.config.collectorThreads();
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
        HeapConfig.checkGrowthFactor(factor);
        synchronized (pacer) {
            pacer.setGrowthFactor(factor);
        }
    }

    @Override
    public double oldGrowthFactor() {
        return pacer.growthFactor();
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

    // ------------------------------------------------------------------ minor and full collections

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
        try {
            if (generation == YOUNG && marking.phase() == Marking.IDLE && marking.isDirty() && cycleWantedNow()) {
                // this collection will start a cycle: clear the rest of the last cycle's marks now, while the
                // program runs (no bits are set while idle, and no cycle starts without this lock), rather
                // than in the pause (3.4 MB for 27 M ids, a few hundred µs, when a cycle follows at once)
                marking.clearSlice(Integer.MAX_VALUE);
            }
            fire(new CollectionEvent(CollectionEvent.Phase.START, generation, 0, 0, 0));
            long edenUsed = nursery.edenTop() - nursery.base;
            long start = System.nanoTime();
            stopTheWorld(m);
            long stop = System.nanoTime() - start;
            try {
                collecting = Thread.currentThread();
                run(m, generation, false);
            } finally {
                collecting = null;
                resumeTheWorld();
            }
            long pause = System.nanoTime() - start;
            addEvent(new CollectionEvent(CollectionEvent.Phase.STOP, generation, collectedObjects, collectedBytes,
                    pause, stop));
            record(generation, pause);
            if (generation == YOUNG) {
                nursery.setEdenBytes(pacer.edenAfterMinor(edenUsed, scavenger.promotedBytes, pause,
                        nursery.edenBytes(), nursery.edenEnd - nursery.base));
            }
            if (startedCycle) {
                cycleStarted();
            }
        } finally {
            heap.gcLock.unlock();
        }
        afterLock();
        return true;
    }

    private void fire(CollectionEvent event) {
        for (Consumer<CollectionEvent> callback : callbacks) {
            callback.accept(event);
        }
    }

    private void addEvent(CollectionEvent event) {
        synchronized (due) {
            events.add(event);
        }
    }

    private void addDue(List<Runnable> callbacks) {
        synchronized (due) {
            due.addAll(callbacks);
        }
    }

    /** Fires the events and runs the weak callbacks that came due while the lock was held. */
    private void afterLock() {
        List<CollectionEvent> fired;
        List<Runnable> run;
        synchronized (due) {
            fired = List.copyOf(events);
            run = List.copyOf(due);
            events.clear();
            due.clear();
        }
        for (CollectionEvent event : fired) {
            fire(event);
        }
        for (Runnable callback : run) {
            callback.run();
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
        stopTheWorld(self, Long.MAX_VALUE);
    }

    /**
     * Asks every other mutator to stop and waits until none is inside an operation, for about
     * {@code patienceNanos} at most: if one still is then, the world resumes, {@link #straggler} names
     * that thread, and this returns false. Lock held.
     */
    private boolean stopTheWorld(Mutator self, long patienceNanos) {
        heap.stopRequested = true;
        long start = System.nanoTime();
        long spinNanos = Math.min(patienceNanos, STOP_SPIN_NANOS);
        for (Mutator other : heap.mutators) {
            while (other != self && other.isIn()) {
                long waited = System.nanoTime() - start;
                if (waited < spinNanos) {
                    Thread.onSpinWait();
                } else if (waited < patienceNanos) {
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(20));
                } else {
                    resumeTheWorld();
                    stragglerState = other.state();
                    straggler = other;
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * How long an optional pause waits for the program to stop before it gives up: an eighth of the pause
     * target, or as long as it takes after {@link #MAX_STOPS_GIVEN_UP} given up in a row. Lock held.
     */
    private long stopPatienceNanos() {
        return stopsGivenUpInARow >= MAX_STOPS_GIVEN_UP ? Long.MAX_VALUE : pacer.pauseTargetNanos() / 8;
    }

    /**
     * Whether an optional pause given up lately should still wait: the thread that held it up is inside
     * the same operation as then, and it is not yet {@link #RETRY_PATIENCE_FACTOR} pause targets later.
     */
    private boolean heldUp() {
        Mutator s = straggler;
        return s != null && s.state() == stragglerState
                && System.nanoTime() - gaveUpAt < RETRY_PATIENCE_FACTOR * pacer.pauseTargetNanos();
    }

    /** Outside any operation, after an optional pause gave up: waits until it may be tried again. */
    private void awaitStraggler() {
        while (heldUp() && !heap.isClosed()) {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
        }
    }

    @Override
    public long stopsGivenUp() {
        return stopsGivenUp;
    }

    void resumeTheWorld() {
        heap.stopRequested = false;
    }

    /** A minor or full collection, with the world stopped. */
    private void run(Mutator self, int generation, boolean promoteEverything) {
        collectedObjects = 0;
        collectedBytes = 0;
        survivedObjects = 0;
        startedCycle = false;
        prepare(generation == OLD || promoteEverything);
        if (!roomForPromotion()) {
            full(self); // frees what it can, young objects' ids included, so that promotion has room
            heap.old.trim(); // and gives the old space's free pages back, which releases their budget
            if (!roomForPromotion()) {
                compactor.evacuateSparsePages(); // freed slots scattered over pages hold the budget: compact
            }
            if (!roomForPromotion()) {
                long worstCase = promotionWorstCase();
                heap.config.budget().reserve(worstCase); // throws MemoryLimitExceededException, as it should
                heap.config.budget().release(worstCase); // room appeared meanwhile: go on
            }
        }
        boolean start = generation == YOUNG && !promoteEverything && marking.phase() == Marking.IDLE
                && cycleWanted();
        if (start) {
            startRequested = false;
            marking.start(heap.pinnedIds(), frozenIds.toArray());
        }
        scavenger.collect(promoteEverything, start);
        collectedObjects += scavenger.collectedObjects;
        collectedBytes += scavenger.collectedBytes;
        survivedObjects += scavenger.survivedObjects;
        if (start) {
            marking.endPause();
            startedCycle = true;
        }
        if (generation == OLD) {
            full(self);
            if (fragmented()) {
                compactor.evacuateSparsePages();
                evacuationDue = false;
            }
        }
        addDue(heap.globals.clearDead(table::isLive));
    }

    /**
     * Whether the old space holds more than {@link #COMPACTION_TRIGGER} times its objects' bytes (and enough):
     * its own committed bytes, not the budget's, which pays for the handle table and the nursery too.
     */
    private boolean fragmented() {
        long committed = heap.old.ownCommittedBytes();
        return committed > MIN_COMPACTION_BYTES && committed > COMPACTION_TRIGGER * heap.oldBytes.get();
    }

    /** {@link #cycleWanted}, outside a pause: the pacer's state read and refreshed under its lock. */
    private boolean cycleWantedNow() {
        synchronized (pacer) {
            return cycleWanted();
        }
    }

    /** Whether a cycle should start at this minor collection. */
    private boolean cycleWanted() {
        if (startRequested) {
            return true;
        }
        return automatic && enabled && (continuous || pacer.shouldStart(heap.oldBytes.get()));
    }

    /**
     * Drops dead threads and collected global handles, gives back closed scopes' ids (all of them for a
     * {@code whole} heap collection, else a chunk), fills every buffer's rest, gathers barrier records.
     */
    private void prepare(boolean whole) {
        heap.globals.drainDropped();
        heap.scopes.reclaim(whole ? Long.MAX_VALUE : reclaimChunk());
        for (Mutator m : heap.mutators) {
            HeapImpl.retireTlab(m);
            scavenger.gather(m);
            if (!m.owner.isAlive()) {
                marking.flush(m); // what its barriers greyed still counts
                for (int i = 0; i < m.idCount; i++) {
                    table.unreserve(m.ids[i]);
                }
                m.idCount = 0;
                m.handleTop = 0;
                m.scopeDepth = 0;
                heap.mutators.remove(m);
            }
        }
    }

    /** Closed scopes' ids given back in one pause: about a quarter of the pause target at 50 ns an id. */
    private long reclaimChunk() {
        return Math.max(1024, pacer.pauseTargetNanos() / 4 / RECLAIM_NANOS_PER_ID);
    }

    /**
     * A pause that gives back a chunk of closed scopes' ids, and nothing else (opening a scope with many
     * pending). Outside any operation.
     */
    void reclaimScopes() {
        Mutator m = heap.enter();
        try {
            pause(m, true, heap.scopes::reclaimDue, () -> {
                heap.scopes.reclaim(reclaimChunk());
                return true;
            }, (ran, done, start, stopped, end) -> addEvent(new CollectionEvent(CollectionEvent.Phase.PAUSE,
                    YOUNG, 0, 0, end - start, stopped - start)), false);
        } finally {
            heap.exit(m);
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

    /**
     * The marking and sweeping of a full collection, with the world stopped: any cycle in progress is
     * abandoned, every object reachable from the roots is marked (young and old), every other one freed.
     */
    private void full(Mutator self) {
        marking.abandon();
        compactor.abandon();
        sweeper.resetCounts();
        IntStack roots = new IntStack();
        Roots.all(heap, frozenIds.toArray(), roots);
        marking.markAll(self, roots);
        sweeper.sweepAll();
        scavenger.dropDeadRemembered();
        collectedObjects += sweeper.collectedObjects;
        collectedBytes += sweeper.collectedBytes;
        survivedObjects = sweeper.survivedObjects;
        synchronized (pacer) {
            pacer.fullCollectionEnded(heap.oldBytes.get());
        }
    }

    // ------------------------------------------------------------------ the cycle

    /** After the minor collection that started a cycle, its lock still held. */
    private void cycleStarted() {
        cyclePauseNanos = 0;
        cycleStopNanos = 0;
        cycleMaxPauseNanos = 0;
        synchronized (pacer) {
            pacer.cycleStarted(heap.oldBytes.get(), heap.oldObjects.get());
        }
        addEvent(new CollectionEvent(CollectionEvent.Phase.START, OLD, 0, 0, 0));
        startWorkers();
    }

    /**
     * A pause of the cycle (remark, the end of the sweep) on the calling thread, inside an operation if
     * {@code in}.
     * Runs {@code body} with the world stopped and returns what it returns; false without running it if
     * another thread held the lock (an {@code in} caller then stepped out while that thread collected).
     */
    private boolean cyclePause(Mutator m, boolean in, BooleanSupplier body) {
        pauses++;
        return pause(m, in, () -> true, body, (ran, result, start, stopped, end) -> {
            long pause = end - start;
            cyclePauseNanos += pause;
            cycleStopNanos += stopped - start;
            cycleMaxPauseNanos = Math.max(cycleMaxPauseNanos, pause);
            addEvent(new CollectionEvent(CollectionEvent.Phase.PAUSE, OLD, 0, 0, pause, stopped - start));
            if (result && marking.phase() == Marking.IDLE) {
                cycleEnded();
            }
        }, true);
    }

    /** What a pause does after the world resumed, its lock still held. */
    @FunctionalInterface
    private interface AfterPause {
        /**
         * @param ran whether the body ran: false if the pause gave up stopping the world
         * @param result what the body returned; false if it did not run
         * @param stopped when the world had stopped (or the pause gave up)
         */
        void ended(boolean ran, boolean result, long start, long stopped, long end);
    }

    /**
     * A pause of its own on the calling thread, inside an operation if {@code in}: takes the lock (an
     * {@code in} caller that finds it held steps out while that thread collects, and returns false), and
     * if {@code wanted} still holds, runs {@code body} with the world stopped, then {@code after}; returns
     * what {@code body} returned, or false if it did not run. An {@code optional} pause gives up if the
     * world does not stop in time (see the class comment): {@code after} is told, and the next attempt
     * returns at once (waits, on a thread not inside an operation) until the pause may be tried again.
     */
    private boolean pause(Mutator m, boolean in, BooleanSupplier wanted, BooleanSupplier body, AfterPause after,
            boolean optional) {
        if (collecting == Thread.currentThread()) {
            return false;
        }
        if (optional && heldUp()) {
            if (!in) {
                awaitStraggler();
            }
            return false;
        }
        if (in) {
            if (!heap.gcLock.tryLock()) {
                heap.stepOutForCollection(m);
                return false;
            }
        } else {
            heap.gcLock.lock();
        }
        boolean result;
        try {
            if (heap.isClosed() || !wanted.getAsBoolean()) {
                return false;
            }
            long start = System.nanoTime();
            if (!stopTheWorld(m, optional ? stopPatienceNanos() : Long.MAX_VALUE)) {
                long end = System.nanoTime();
                gaveUpAt = end;
                stopsGivenUp++;
                stopsGivenUpInARow++;
                after.ended(false, false, start, end, end);
                result = false;
            } else {
                long stopped = System.nanoTime();
                stopsGivenUpInARow = 0;
                straggler = null;
                try {
                    collecting = Thread.currentThread();
                    result = body.getAsBoolean();
                } finally {
                    collecting = null;
                    resumeTheWorld();
                }
                after.ended(true, result, start, stopped, System.nanoTime());
            }
        } finally {
            heap.gcLock.unlock();
        }
        afterLock();
        return result;
    }

    /**
     * The remark pause: returns true if marking ended in it. Condemned objects' weak globals are cleared
     * (their callbacks run after the pause) and sweeping starts.
     */
    boolean remark(Mutator m, boolean in, WorkBudget budget) {
        return cyclePause(m, in, () -> {
            if (marking.phase() != Marking.MARKING) {
                return false;
            }
            if (!marking.remark(m, budget)) {
                remarksResumed++;
                return false;
            }
            List<Runnable> cleared = heap.globals.clearDead(handle -> table.isLive(handle)
                    && !marking.isCondemned(Heap.idOf(handle), table.addressOf(Heap.idOf(handle))));
            addDue(cleared);
            sweeper.start();
            return true;
        });
    }

    /**
     * A step of the cycle's sweep on the calling thread, beside the mutators ({@link Sweeper}), inside an
     * operation ({@code in}, or one of its own); once the sweep has passed every id, the short pause that
     * ends the cycle. Returns true if it ended the cycle; false too if another thread was sweeping.
     */
    boolean sweep(Mutator m, boolean in, WorkBudget budget) {
        boolean swept;
        if (!in) {
            heap.enter();
        }
        try {
            swept = sweepStep(m, budget);
        } finally {
            if (!in) {
                heap.exit(m);
            }
        }
        return swept && cyclePause(m, in, () -> {
            if (marking.phase() != Marking.SWEEPING) {
                return false;
            }
            sweeper.finish();
            marking.endCycle();
            return true;
        });
    }

    /** One {@link Sweeper#step}, inside an operation; true if the sweep has passed every id. */
    private boolean sweepStep(Mutator m, WorkBudget budget) {
        if (heap.cyclePhase != Marking.SWEEPING || !sweepLock.tryLock()) {
            return false;
        }
        try {
            boolean swept = sweeper.step(m, budget);
            sweepHeldUp = sweeper.isHeldUp();
            return swept;
        } finally {
            sweepLock.unlock();
        }
    }

    /** With the lock held and the world running again, after the pause that ended the sweep. */
    private void cycleEnded() {
        cycles++;
        if (fragmented()) {
            evacuationDue = true; // bounded steps, between cycles (see Compactor)
        }
        synchronized (this) {
            Counters c = counters[OLD];
            c.collections++;
            c.totalPauseNanos += cyclePauseNanos;
            c.maxPauseNanos = Math.max(c.maxPauseNanos, cycleMaxPauseNanos);
            c.collectedObjects += sweeper.collectedObjects;
            c.collectedBytes += sweeper.collectedBytes;
            c.survivedObjects += sweeper.survivedObjects;
        }
        synchronized (pacer) {
            pacer.cycleEnded(heap.oldBytes.get(), sweeper.collectedBytes, marking.tracedObjects());
        }
        addEvent(new CollectionEvent(CollectionEvent.Phase.STOP, OLD, sweeper.collectedObjects,
                sweeper.collectedBytes, cyclePauseNanos, cycleStopNanos));
    }

    /** Tests: an evacuation is due, fragmented or not. */
    void requestEvacuation() {
        evacuationDue = true;
    }

    private boolean evacuationWanted() {
        return evacuationDue || compactor.isEvacuating();
    }

    /**
     * An evacuation step between cycles ({@link Compactor}), in a pause of its own reported as a PAUSE of
     * the old generation, on the calling thread (inside an operation if {@code in}): starts the evacuation
     * if one is due, then moves objects within {@code budget}. Returns true when the evacuation ended;
     * false if there was none, or another thread held the lock.
     */
    boolean evacuate(Mutator m, boolean in, WorkBudget budget) {
        return pause(m, in, this::evacuationWanted, () -> {
            if (compactor.isEvacuating()) {
                return compactor.step(budget);
            }
            evacuationDue = false;
            return !compactor.start() || compactor.step(budget);
        }, (ran, done, start, stopped, end) -> {
            lastSliceNanos = end - start;
            lastSliceEnd = end;
            addEvent(new CollectionEvent(CollectionEvent.Phase.PAUSE, OLD, 0, 0, end - start, stopped - start));
        }, true);
    }

    /** Completed cycles (tests). */
    long cycles() {
        return cycles;
    }

    /** Remark pauses that let marking go on concurrently (tests). */
    long remarksResumed() {
        return remarksResumed;
    }

    // ------------------------------------------------------------------ pacing hooks on allocation

    /**
     * Before a mutator takes a new allocation buffer (inside an operation; it holds none): assists the
     * cycle in progress if the pacer says so. May run a pause, or step out while another thread collects.
     */
    void beforeTlab(Mutator m) {
        if (!automatic) {
            return;
        }
        int phase = heap.cyclePhase;
        if (phase == Marking.MARKING) {
            long work;
            synchronized (pacer) {
                work = pacer.assistWork(pacer.oldGrowthOfEden(Nursery.TLAB_BYTES), heap.oldBytes.get(),
                        marking.tracedObjects(), threads);
            }
            if (work > 0) {
                assistMarking(m, work);
            }
        } else if (phase == Marking.SWEEPING) {
            if (threads == 0 || heap.oldBytes.get() > pacer.goal()) {
                assistSweep(m);
            }
        } else if (threads == 0 && marking.isDirty()) {
            marking.clearSlice(1);
        } else if (threads == 0 && evacuationWanted() && sliceDue()) {
            evacuate(m, true, WorkBudget.inPause(Long.MAX_VALUE, cycleSliceNanos()));
        }
    }

    /**
     * Before a mutator allocates {@code bytes} in the old space directly (inside an operation): starts a
     * cycle if one is due (with a minor collection: old allocation alone would not bring one), or assists
     * the one in progress.
     */
    void beforeOldAllocation(Mutator m, long bytes) {
        if (!automatic) {
            return;
        }
        int phase = heap.cyclePhase;
        if (phase == Marking.IDLE) {
            if (enabled && (continuous || pacer.shouldStart(heap.oldBytes.get() + bytes))) {
                startRequested = true;
                collectFor(m, YOUNG);
            }
        } else if (phase == Marking.MARKING) {
            long work;
            synchronized (pacer) {
                work = pacer.assistWork(bytes, heap.oldBytes.get(), marking.tracedObjects(), threads);
            }
            if (work > 0) {
                assistMarking(m, work);
            }
        } else if (threads == 0 || heap.oldBytes.get() > pacer.goal()) {
            assistSweep(m);
        }
    }

    /** A mutator's sweep step (inside its operation), at most one per {@link #SLICE_GAP} of its length. */
    private void assistSweep(Mutator m) {
        if (!sliceDue()) {
            return;
        }
        long start = System.nanoTime();
        sweep(m, true, sliceBudget(m, Long.MAX_VALUE, cycleSliceNanos()));
        long end = System.nanoTime();
        lastSliceNanos = end - start;
        lastSliceEnd = end;
        assistNanos.add(end - start);
    }

    /** A mutator's assist: {@code work} objects traced, then the remark if no grey work was left. */
    private void assistMarking(Mutator m, long work) {
        long start = System.nanoTime();
        long owed = work + m.assistDebt;
        marking.wantShared(); // a lone collector thread keeps its grey work unless asked
        WorkBudget budget = sliceBudget(m, owed, pacer.pauseTargetNanos());
        boolean noWork = marking.slice(m, budget);
        // an assist ends at the pause target (it delays its thread's operation); what it could not trace in
        // time is owed at the next one, so that the pacer's share of the work is done all the same
        m.assistDebt = noWork ? 0 : Math.max(0, owed - budget.used());
        assistNanos.add(System.nanoTime() - start);
        if (noWork) {
            remark(m, true, WorkBudget.inPause(Long.MAX_VALUE, cycleSliceNanos()));
        }
    }

    /**
     * A budget for one slice of {@code m}'s beside running mutators: its thread's own
     * ({@link WorkBudget#forSlices}), restarted.
     */
    private WorkBudget sliceBudget(Mutator m, long units, long nanos) {
        WorkBudget b = m.sliceBudget;
        if (b == null) {
            b = WorkBudget.forSlices(heap);
            m.sliceBudget = b;
        }
        return b.restart(units, nanos);
    }

    @Override
    public long assistNanos() {
        return assistNanos.sum();
    }

    /**
     * The work a remark, sweep assist or evacuation step does: a third of the pause target, so that with
     * the stop itself and a slice's last unit of work such a pause stays within half of it.
     */
    private long cycleSliceNanos() {
        return pacer.pauseTargetNanos() / 3;
    }

    /** Whether enough time went by since the last evacuation step or sweep assist (see {@link #SLICE_GAP}). */
    private boolean sliceDue() {
        return System.nanoTime() - lastSliceEnd >= SLICE_GAP * lastSliceNanos;
    }

    // ------------------------------------------------------------------ collector threads

    private void startWorkers() {
        if (threads == 0 || workers != null) {
            return;
        }
        synchronized (this) {
            if (workers == null) {
                CollectorThread[] made = new CollectorThread[threads];
                for (int i = 0; i < threads; i++) {
                    made[i] = new CollectorThread(heap, this, i);
                }
                workers = made;
                for (CollectorThread t : made) {
                    t.start();
                }
                return;
            }
        }
        wakeWorkers();
    }

    private void wakeWorkers() {
        CollectorThread[] ws = workers;
        if (ws != null) {
            for (CollectorThread t : ws) {
                LockSupport.unpark(t);
            }
        }
    }

    /** Stops the collector threads and waits for them (when the heap closes, outside any operation). */
    void stopWorkers() {
        CollectorThread[] ws = workers;
        if (ws == null) {
            return;
        }
        for (CollectorThread t : ws) {
            t.stopping = true;
            LockSupport.unpark(t);
        }
        for (CollectorThread t : ws) {
            if (t != Thread.currentThread()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * One step of collector thread {@code index} (outside any operation); false if it found nothing to
     * do. Thread 0 alone sweeps and clears the bitmap; every thread marks.
     */
    boolean backgroundStep(Mutator m, int index) {
        if (!automatic) {
            return false;
        }
        switch (marking.phase()) {
            case Marking.MARKING -> {
                boolean noWork;
                heap.enter();
                try {
                    // the only collector thread keeps its grey work between slices (see Marking.slice)
                    noWork = marking.slice(m, sliceBudget(m, Long.MAX_VALUE, CONCURRENT_SLICE_NANOS),
                            threads == 1);
                } finally {
                    heap.exit(m);
                }
                if (noWork && !remark(m, false, WorkBudget.inPause(Long.MAX_VALUE, cycleSliceNanos()))) {
                    LockSupport.parkNanos(pacer.pauseTargetNanos()); // mutators' buffers fill meanwhile
                }
                return true;
            }
            case Marking.SWEEPING -> {
                if (index != 0) {
                    return false;
                }
                sweep(m, false, sliceBudget(m, Long.MAX_VALUE, CONCURRENT_SLICE_NANOS));
                if (sweepHeldUp) {
                    Thread.yield(); // a thread inside an operation holds the sweep up: let it run
                }
                return true;
            }
            default -> {
                if (index != 0) {
                    return false;
                }
                if (marking.isDirty()) {
                    heap.enter();
                    try {
                        marking.clearSlice(CLEAR_PAGES);
                    } finally {
                        heap.exit(m);
                    }
                    return true;
                }
                if (!evacuationWanted()) {
                    return false;
                }
                if (sliceDue()) {
                    evacuate(m, false, WorkBudget.inPause(Long.MAX_VALUE, cycleSliceNanos()));
                } else {
                    LockSupport.parkNanos(SLICE_GAP * lastSliceNanos);
                }
                return true;
            }
        }
    }

    static long idleParkNanos() {
        return IDLE_PARK_NANOS;
    }

    // ------------------------------------------------------------------ stepping by hand (tests)

    /** Tests: turns automatic cycle work (starts, assists, collector threads' steps) off or on. */
    void setAutomatic(boolean on) {
        automatic = on;
    }

    /** Tests: every minor collection starts a cycle if none runs. */
    void setContinuous(boolean on) {
        continuous = on;
    }

    /**
     * Tests: one step of the cycle on the calling thread — start a cycle (a minor collection), trace up to
     * {@code units} objects or remark, sweep up to {@code units} ids, or clear the bitmap — without
     * deadlines, so that a seeded test replays exactly. Returns the phase after the step.
     */
    int step(int units) {
        Mutator m = heap.enter();
        try {
            switch (marking.phase()) {
                case Marking.IDLE -> {
                    if (marking.isDirty()) {
                        marking.clearSlice(1);
                    } else {
                        startRequested = true;
                        while (!collectFor(m, YOUNG) || startRequested) {
                            // another thread's collection ran first; ours starts the cycle
                        }
                    }
                }
                case Marking.MARKING -> {
                    if (marking.slice(m, WorkBudget.units(units))) {
                        remark(m, true, WorkBudget.units(units));
                    }
                }
                default -> sweep(m, true, WorkBudget.units(units));
            }
            return marking.phase();
        } finally {
            heap.exit(m);
        }
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
                if (nursery.contains(table.addressOf(id))) {
                    scavenger.promote(id);
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
        return withWorldStopped(self -> {
            run(self, OLD, false);
            return compactor.evacuateSparsePages();
        });
    }

    // ------------------------------------------------------------------ freeze

    @Override
    public long freeze() {
        return withWorldStopped(self -> {
            run(self, OLD, true); // everything live is old now
            long[] count = {0};
            table.forEachLive(id -> {
                long a = table.addressOf(id);
                long header = ObjectHeader.read(view, a);
                if ((ObjectHeader.flags(header) & ObjectHeader.FROZEN) == 0) {
                    ObjectHeader.write(view, a, ObjectHeader.withFlags(header,
                            ObjectHeader.flags(header) | ObjectHeader.FROZEN));
                    frozenIds.push(id);
                    count[0]++;
                }
            });
            return count[0];
        });
    }

    @Override
    public long unfreeze() {
        return withWorldStopped(self -> {
            long count = frozenIds.size();
            for (int i = 0; i < frozenIds.size(); i++) {
                int id = frozenIds.get(i);
                long a = table.addressOf(id);
                long header = ObjectHeader.read(view, a);
                ObjectHeader.write(view, a, ObjectHeader.withFlags(header,
                        ObjectHeader.flags(header) & ~ObjectHeader.FROZEN));
            }
            frozenIds.clear();
            return count;
        });
    }

    @Override
    public long frozenCount() {
        return frozenIds.size();
    }

    /** Runs {@code body} on the calling thread with every other mutator stopped. */
    <T> T withWorldStopped(java.util.function.Function<Mutator, T> body) {
        Mutator m = heap.enter();
        try {
            lockWorld(m);
            try {
                stopTheWorld(m);
                try {
                    collecting = Thread.currentThread();
                    return body.apply(m);
                } finally {
                    collecting = null;
                    resumeTheWorld();
                }
            } finally {
                heap.gcLock.unlock();
            }
        } finally {
            heap.exit(m);
            afterLock();
        }
    }

    // ------------------------------------------------------------------ statistics and verification

    HeapStats stats() {
        return withWorldStopped(self -> {
            long[] totals = new long[6]; // objects, bytes, young, old, frozen, large
            Map<Type, long[]> perType = new HashMap<>();
            table.forEachLive(id -> {
                long a = table.addressOf(id);
                if (marking.isCondemned(id, a)) {
                    return; // dead for the program: unreachable when marking ended, freed by the next slices
                }
                long size = HeapImpl.objectBytes(a);
                long header = ObjectHeader.read(view, a);
                Type type = Type.ofId(ObjectHeader.typeId(header));
                totals[0]++;
                totals[1] += size;
                totals[nursery.contains(a) ? 2 : 3]++;
                if ((ObjectHeader.flags(header) & ObjectHeader.FROZEN) != 0) {
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
        withWorldStopped(self -> {
            new HeapVerifier(heap, scavenger, sweeper).run(frozenIds.toArray());
            return null;
        });
    }
}
