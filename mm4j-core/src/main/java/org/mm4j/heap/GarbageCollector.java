package org.mm4j.heap;

import java.util.function.Consumer;

/**
 * The collector's controls, modelled on CPython's {@code gc} module.
 *
 * <p>Generation 0 is the nursery (minor collections copy its survivors and promote them after
 * {@link Heap.Builder#tenuringThreshold} collections); generation 1 is the old space. Old collections
 * start on their own, paced to end before the old space reaches its growth goal: they mark and sweep
 * concurrently with the program (collector threads, and allocating threads when marking falls behind), with
 * a few short pauses, each aimed at {@link Heap.Builder#pauseTarget}. {@link #collect(int) collect(OLD)} is a full
 * collection in one pause. Objects {@link #freeze() frozen} form a permanent generation that collections
 * neither free nor move.
 */
public interface GarbageCollector {
    /** The nursery. */
    int YOUNG = 0;
    /** The old space; collecting it collects the nursery first. */
    int OLD = 1;

    /**
     * How the names of a heap's collector threads ({@link Heap.Builder#collectorThreads}) begin; the rest is
     * the heap's name and the thread's number. Exactly 15 characters, so that the OS's view of a thread's
     * name (Linux keeps 15) is this prefix: tools that measure the collector's CPU time find its threads by it.
     */
    String THREAD_NAME_PREFIX = "mm4j-collector-";

    /** A full collection: {@code collect(OLD)}. */
    void collect();

    /**
     * Collects {@code generation} ({@link #YOUNG} or {@link #OLD}) now, whether enabled or not. An old
     * collection is a full one, in one pause: any concurrent old collection in progress is abandoned, and
     * every object unreachable when it starts is freed by it.
     */
    void collect(int generation);

    /**
     * Turns automatic collections back on. Disabled, the heap still runs minor collections when the
     * nursery is full — there is no other way to allocate young objects — but never starts an old one
     * (one in progress runs to its end).
     */
    void enable();

    /** Turns automatic major collections off. */
    void disable();

    boolean isEnabled();

    /**
     * The old space's growth goal: an automatic old collection should end before the old space has grown
     * by this factor past what the last one left (default 2.0, as Go's GOGC=100), and starts early enough
     * for that; at least 1.1. Also {@link Heap.Builder#oldGrowthFactor}.
     */
    void setOldGrowthFactor(double factor);

    double oldGrowthFactor();

    /** Counters of one generation since the heap was built. */
    CollectionStats stats(int generation);

    /** Registers {@code callback} to run at the start and the end of every collection. */
    void addCallback(Consumer<CollectionEvent> callback);

    void removeCallback(Consumer<CollectionEvent> callback);

    /**
     * Promotes every live object to the old space and moves it to the permanent generation: later
     * collections treat it as a root and never free or move it (CPython's {@code gc.freeze}, for a
     * long-lived start-up graph). Returns how many objects were frozen.
     */
    long freeze();

    /** Returns the permanent generation to the old space; returns how many objects it held. */
    long unfreeze();

    /** Objects in the permanent generation. */
    long frozenCount();

    /**
     * A full collection, then compaction of the old space: every page of small objects that is less than
     * half used is withdrawn from allocation and its objects move to fuller pages (each move rewrites one
     * handle-table entry); the emptied pages go back to the OS. Pinned and frozen objects stay where they
     * are. Major collections also compact on their own when the old space holds more than twice the
     * memory its objects need, and so does the concurrent old collection, in bounded steps between its
     * cycles.
     */
    Compaction compact();

    /**
     * What a compaction did.
     *
     * @param pagesEvacuated pages withdrawn because they were sparse
     * @param movedObjects objects moved out of them
     * @param movedBytes their bytes
     * @param committedBefore bytes the old space held from the OS before
     * @param committedAfter and after
     */
    record Compaction(long pagesEvacuated, long movedObjects, long movedBytes, long committedBefore,
            long committedAfter) {}

    /**
     * Wall-clock nanoseconds that threads of the program have spent helping an old collection mark
     * (assists, outside any pause) since the heap was built: collector work done on their time, which
     * no collection event reports.
     */
    long assistNanos();

    /**
     * Pauses of old collections (a cycle's remark or end, an evacuation step) that gave up stopping the
     * program since the heap was built, because a thread stayed inside an operation past an eighth of the
     * pause target (see {@link CollectionEvent}). After eight in a row, the next one waits as long as it
     * takes; minor and full collections always do.
     */
    long stopsGivenUp();

    /**
     * Walks the whole heap and checks every invariant (handle table, headers, references, remembered
     * set, nursery walkability). Throws {@link IllegalStateException} naming the first broken one.
     */
    void verify();

    /**
     * What a callback is told. A minor or full collection is one pause: START before the world stops,
     * STOP after it resumes, with the pause. An old collection that marks concurrently (a cycle) starts in
     * a minor collection's pause (reported as that minor collection) and then reports START; each of its
     * own pauses (remark, the end of its sweep) as a PAUSE with that pause's length; and STOP at its end with what
     * it freed and the total of its pauses. Steps of an evacuation of the old space between cycles
     * (compaction in bounded increments) are PAUSE events of the old generation. A short pause that only gives closed scopes' ids back to the
     * handle table (when very many are waiting, before a scope opens) is a PAUSE of generation 0.
     * Callbacks run on the thread that collected — for a cycle's pauses, often a collector thread — after
     * the world resumed.
     *
     * <p>{@code stopNanos} is the part of a pause spent stopping the program: from the request until every
     * other thread had stepped out of its operation (a thread descheduled inside one makes it long; the
     * JVM's "time to safepoint"). A cycle's pause or an evacuation step that cannot stop the program
     * within an eighth of the pause target gives up and is tried again once that thread has moved on
     * ({@link #stopsGivenUp}): it is reported as a PAUSE whose {@code stopNanos} is its whole length. For a
     * cycle's STOP, {@code pauseNanos} and {@code stopNanos} are its pauses' totals.
     */
    record CollectionEvent(Phase phase, int generation, long collectedObjects, long collectedBytes,
            long pauseNanos, long stopNanos) {
        /** Start or stop of a collection, or one pause of an old collection that runs concurrently; at start the counts are 0. */
        public enum Phase { START, STOP, PAUSE }

        /** An event whose pause (if any) took no time to stop the program's threads. */
        public CollectionEvent(Phase phase, int generation, long collectedObjects, long collectedBytes,
                long pauseNanos) {
            this(phase, generation, collectedObjects, collectedBytes, pauseNanos, 0);
        }
    }
}
