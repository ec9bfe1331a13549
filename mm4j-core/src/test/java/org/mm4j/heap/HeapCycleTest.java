package org.mm4j.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mm4j.internal.heap.CycleSteps;

/**
 * The old collection's cycle, stepped by hand, one rule at a time: each test builds the situation that
 * one barrier or refusal exists for (a handle that no root holds, read, made a root or stored while
 * marking runs; a condemned object used while sweeping; weak globals; objects new during marking; frozen
 * and pinned roots; a thread that dies with grey work) and checks that nothing reachable is freed and that
 * the unreachable is.
 */
@SuppressWarnings("MustBeClosedChecker") // scopes, globals and pins opened and closed by hand on purpose
class HeapCycleTest extends OpenHeapTest {
    static final Type NODE = Type.struct("CycleNode").intField("value").refField("next").build();
    static final IntField VALUE = NODE.intField("value");
    static final RefField NEXT = NODE.refField("next");

    @Override
    Heap newHeap() {
        Heap h = Heap.builder().name("cycle").nurseryBytes(256 << 10).collectorThreads(0).build();
        CycleSteps.setAutomatic(h, false);
        return h;
    }

    private long node(int value) {
        long n = heap.allocate(NODE);
        heap.set(n, VALUE, value);
        return n;
    }

    /** Two minor collections: with the tenuring threshold of 2, every young object alive is old after them. */
    private void promoteAll() {
        heap.gc().collect(GarbageCollector.YOUNG);
        heap.gc().collect(GarbageCollector.YOUNG);
    }

    /** An old chain {@code value -> value + 1} that no root holds: its scope closed. Returns the head. */
    private long[] unrootedOldChain(int value) {
        try (HandleScope s = heap.openHandleScope()) {
            long a = node(value);
            long b = node(value + 1);
            heap.set(a, NEXT, b);
            promoteAll();
            return new long[] {a, b};
        }
    }

    /** {@code n} old objects that no root holds: their scope closed. */
    private long[] unrootedOldNodes(int n) {
        long[] nodes = new long[n];
        try (HandleScope s = heap.openHandleScope()) {
            for (int i = 0; i < n; i++) {
                nodes[i] = node(i);
            }
            promoteAll();
        }
        return nodes;
    }

    private void startMarking() {
        while (CycleSteps.phase(heap) == CycleSteps.IDLE) {
            CycleSteps.step(heap, 1_000_000); // clears the bitmap first if the last cycle left it dirty
        }
        assertEquals(CycleSteps.MARKING, CycleSteps.phase(heap));
    }

    private void finishMarking() {
        while (CycleSteps.phase(heap) == CycleSteps.MARKING) {
            CycleSteps.step(heap, 1_000_000);
        }
        assertEquals(CycleSteps.SWEEPING, CycleSteps.phase(heap));
    }

    private void finishCycle() {
        long ended = CycleSteps.completed(heap);
        while (CycleSteps.completed(heap) == ended) {
            CycleSteps.step(heap, 1_000_000);
        }
        heap.gc().verify();
    }

    /**
     * A cycle's sweep runs beside the program, in steps inside an operation: a sweep of 12,000 ids
     * in small steps stops the world once, in the pause that ends it. Each condemned object's handle turns
     * stale when a step reaches it; with no other thread in an operation its grace period passes at once,
     * so the memory goes back during the sweep, step by step, not in the pause at its end.
     */
    @Test
    void theSweepRunsBesideTheProgramAndEndsInOnePause() {
        int n = 12_000;
        long[] dead = unrootedOldNodes(n);
        long kept = heap.newGlobal(node(-1)).get();
        long oldBefore = heap.stats().oldObjects();
        startMarking();
        finishMarking();
        AtomicInteger pauses = new AtomicInteger();
        heap.gc().addCallback(e -> {
            if (e.phase() != GarbageCollector.CollectionEvent.Phase.STOP) {
                pauses.incrementAndGet();
            }
        });
        long ended = CycleSteps.completed(heap);
        int steps = 0;
        long oldBeforeEnd = oldBefore;
        while (CycleSteps.completed(heap) == ended) {
            long old = heap.stats().oldObjects();
            CycleSteps.step(heap, 64);
            steps++;
            if (CycleSteps.completed(heap) == ended) {
                oldBeforeEnd = heap.stats().oldObjects();
            } else {
                assertTrue(old - heap.stats().oldObjects() < n / 10, "the end's pause freed most");
            }
            if (steps % 16 == 0) {
                heap.gc().verify(); // unlinked objects waiting are counted in the old space until freed
            }
        }
        assertTrue(steps > 20, "steps: " + steps);
        assertTrue(oldBeforeEnd < oldBefore - n * 9 / 10, "freed during the sweep: " + (oldBefore - oldBeforeEnd));
        assertEquals(1, pauses.get(), "the sweep's only pause ends it");
        for (long d : dead) {
            assertFalse(heap.isLive(d));
            assertThrows(StaleHandleException.class, () -> heap.get(d, VALUE));
        }
        assertEquals(-1, heap.get(kept, VALUE));
        assertEquals(oldBefore - n, heap.stats().oldObjects());
        heap.gc().verify();
    }

    /**
     * A thread that stays inside an operation (as one descheduled there would) holds a pause up. The
     * remark gives up after an eighth of the pause target, reports that as a pause that was all stopping,
     * changes nothing, and is not tried again while that thread is still in the same operation; once it
     * has left, the remark runs. After eight given up in a row, the next one waits as long as it takes.
     */
    @Test
    void aRemarkThatCannotStopTheProgramGivesUpAndRunsLater() throws InterruptedException {
        reopenWithPauseTarget(Duration.ofMillis(40)); // gives up after 5 ms, not tried again for 320 ms
        long[] chain = unrootedOldChain(7);
        startMarking();
        List<GarbageCollector.CollectionEvent> events = new CopyOnWriteArrayList<>();
        heap.gc().addCallback(events::add);
        CountDownLatch leave = new CountDownLatch(1);
        Thread holder = holdInsideAnOperation(leave);
        try {
            CycleSteps.step(heap, 1_000_000); // traces everything, then tries the remark
            assertEquals(CycleSteps.MARKING, CycleSteps.phase(heap), "the remark did not run");
            assertEquals(1, heap.gc().stopsGivenUp());
            assertEquals(1, events.size(), events.toString());
            GarbageCollector.CollectionEvent gaveUp = events.getFirst();
            assertEquals(GarbageCollector.CollectionEvent.Phase.PAUSE, gaveUp.phase());
            assertEquals(gaveUp.pauseNanos(), gaveUp.stopNanos(), "all of it was waiting for the program to stop");
            assertTrue(gaveUp.stopNanos() >= 5_000_000, "an eighth of the pause target: " + gaveUp.stopNanos());

            CycleSteps.step(heap, 1_000_000); // the same operation goes on: not tried again
            assertEquals(1, heap.gc().stopsGivenUp());
            assertEquals(1, events.size());
        } finally {
            leave.countDown();
            holder.join();
        }
        finishMarking();
        assertEquals(1, heap.gc().stopsGivenUp());
        GarbageCollector.CollectionEvent remark = events.getLast();
        assertTrue(remark.stopNanos() < remark.pauseNanos(), remark.toString());
        finishCycle();
        assertFalse(heap.isLive(chain[0]));
        assertFalse(heap.isLive(chain[1]));
    }

    /**
     * A heap's only collector thread keeps the grey work a slice leaves on its own stack rather than
     * sharing it; the remark, run by another thread, must take it from there. Here the rest of a chain
     * is reachable only through the one grey object another thread's slice kept.
     */
    @Test
    void theRemarkTakesTheGreyWorkAnotherThreadKept() throws InterruptedException {
        int n = 200;
        long[] chain = new long[n];
        GlobalHandle root;
        try (HandleScope s = heap.openHandleScope()) {
            for (int i = n - 1; i >= 0; i--) {
                chain[i] = node(i);
                if (i < n - 1) {
                    heap.set(chain[i], NEXT, chain[i + 1]);
                }
            }
            root = heap.newGlobal(chain[0]);
            promoteAll();
        }
        startMarking();
        CountDownLatch sliced = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        Thread marker = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 3; i++) {
                CycleSteps.markSliceKeepingWork(heap, 1); // the root, then the chain's first objects
            }
            sliced.countDown();
            awaitQuietly(leave); // alive, outside any operation, its stack holding the rest
        });
        try {
            sliced.await();
            finishMarking(); // the remark, on this thread
            finishCycle();
        } finally {
            leave.countDown();
            marker.join();
        }
        for (int i = 0; i < n; i++) {
            assertTrue(heap.isLive(chain[i]), "object " + i + " of the chain was freed");
        }
        assertEquals(n - 1, heap.get(chain[n - 1], VALUE));
        root.close();
    }

    @Test
    void afterEightGivenUpInARowTheNextPauseWaitsAsLongAsItTakes() throws InterruptedException {
        reopenWithPauseTarget(Duration.ofMillis(4)); // gives up after 0.5 ms, tried again after 32 ms
        startMarking();
        CountDownLatch leave = new CountDownLatch(1);
        Thread holder = holdInsideAnOperation(leave);
        List<GarbageCollector.CollectionEvent> events = new CopyOnWriteArrayList<>();
        try {
            while (heap.gc().stopsGivenUp() < CycleSteps.MAX_STOPS_GIVEN_UP) {
                CycleSteps.step(heap, 1_000_000);
                assertEquals(CycleSteps.MARKING, CycleSteps.phase(heap));
                Thread.sleep(2); // a retry waits for the holder to move on, or for eight pause targets
            }
            heap.gc().addCallback(events::add);
            Thread.ofPlatform().start(() -> {
                sleepQuietly(50);
                leave.countDown();
            });
            while (CycleSteps.phase(heap) == CycleSteps.MARKING) {
                CycleSteps.step(heap, 1_000_000); // waits for the holder to leave
            }
        } finally {
            leave.countDown();
            holder.join();
        }
        assertEquals(CycleSteps.MAX_STOPS_GIVEN_UP, heap.gc().stopsGivenUp());
        GarbageCollector.CollectionEvent remark = events.stream()
                .filter(e -> e.phase() == GarbageCollector.CollectionEvent.Phase.PAUSE).findFirst().orElseThrow();
        assertTrue(remark.stopNanos() > 1_000_000 && remark.pauseNanos() > remark.stopNanos(), remark.toString());
        finishCycle();
    }

    /** Starts a thread that enters an operation and stays inside until {@code leave}; returns once it is in. */
    private Thread holdInsideAnOperation(CountDownLatch leave) throws InterruptedException {
        CountDownLatch inside = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().start(() -> CycleSteps.insideOperation(heap, () -> {
            inside.countDown();
            awaitQuietly(leave);
        }));
        inside.await();
        return holder;
    }

    /** Replaces the test's heap with one like it whose pause target is {@code target}. */
    private void reopenWithPauseTarget(Duration target) {
        scope.close();
        heap.close();
        heap = Heap.builder().name("cycle").nurseryBytes(256 << 10).collectorThreads(0).pauseTarget(target).build();
        CycleSteps.setAutomatic(heap, false);
        scope = heap.openHandleScope();
    }

    /** Waits for {@code latch}, 5 s at most: a holder leaves on its own if a test fails to let it go. */
    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * While a thread stays inside one operation, no batch unlinked after it began can be freed; the sweep
     * then does not end (its pause would have to free them all) but waits, and once the thread has left,
     * the steps free what waited and the pause that ends the sweep frees at most two batches.
     */
    @Test
    void theSweepEndsOnlyWhenFewBatchesWait() throws InterruptedException {
        reopenWithPauseTarget(Duration.ofMillis(40)); // a given-up end would not be retried within the loop
        long[] dead = unrootedOldNodes(6000);
        startMarking();
        finishMarking();
        long ended = CycleSteps.completed(heap);
        CountDownLatch leave = new CountDownLatch(1);
        Thread holder = holdInsideAnOperation(leave);
        try {
            for (int i = 0; i < 400; i++) {
                CycleSteps.step(heap, 64);
            }
            assertEquals(ended, CycleSteps.completed(heap), "the sweep ended while its batches waited");
            assertEquals(0, heap.gc().stopsGivenUp(), "it did not even try to stop the program");
        } finally {
            leave.countDown();
            holder.join();
        }
        long freedInTheEnd = 0;
        while (CycleSteps.completed(heap) == ended) {
            long old = heap.stats().oldObjects();
            CycleSteps.step(heap, 64);
            freedInTheEnd = old - heap.stats().oldObjects();
        }
        assertTrue(freedInTheEnd <= 2 * 512, "freed in the pause that ended the sweep: " + freedInTheEnd);
        for (long d : dead) {
            assertFalse(heap.isLive(d));
        }
    }

    /**
     * A minor collection that will start a cycle clears the last cycle's marks before it stops the
     * program, not in its pause: when a cycle follows another at once, no idle time cleared them.
     */
    @Test
    void aCycleStartingRightAfterAnotherClearsTheMarksBeforeItsPause() {
        try (Heap h = Heap.builder().name("clear").nurseryBytes(256 << 10).collectorThreads(0).build()) {
            CycleSteps.setContinuous(h, true);
            GlobalHandle root;
            try (HandleScope _ = h.openHandleScope()) {
                root = h.newGlobal(h.allocate(NODE));
            }
            h.gc().collect(GarbageCollector.YOUNG); // starts a cycle
            assertEquals(CycleSteps.MARKING, CycleSteps.phase(h));
            long completed = CycleSteps.completed(h);
            while (CycleSteps.completed(h) == completed) {
                CycleSteps.step(h, 1_000_000);
            }
            assertEquals(CycleSteps.IDLE, CycleSteps.phase(h));
            assertTrue(CycleSteps.marksDirty(h), "the cycle's marks stay until cleared");
            List<Boolean> dirtyAtStart = new CopyOnWriteArrayList<>();
            h.gc().addCallback(e -> {
                if (e.phase() == GarbageCollector.CollectionEvent.Phase.START && e.generation() == GarbageCollector.YOUNG) {
                    dirtyAtStart.add(CycleSteps.marksDirty(h)); // before the world stops
                }
            });
            h.gc().collect(GarbageCollector.YOUNG); // continuous: starts the next cycle at once
            assertEquals(CycleSteps.MARKING, CycleSteps.phase(h));
            assertEquals(List.of(false), dirtyAtStart, "cleared before the pause, not in it");
            root.close();
        }
    }

    /** Tools find the collector's threads by the start of their names, which the OS cuts to 15 characters. */
    @Test
    void collectorThreadsAreNamedWithTheDocumentedPrefix() {
        assertEquals(15, GarbageCollector.THREAD_NAME_PREFIX.length());
        try (Heap h = Heap.builder().name("named").nurseryBytes(256 << 10).collectorThreads(1).build()) {
            CycleSteps.setContinuous(h, true);
            h.gc().collect(GarbageCollector.YOUNG); // starts a cycle, and with it the collector thread
            assertTrue(Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                    .anyMatch(n -> n.equals(GarbageCollector.THREAD_NAME_PREFIX + "named-0")));
        }
    }

    @Test
    void anObjectUnreachableWhenMarkingStartsIsFreedByThatCycle() {
        long[] chain = unrootedOldChain(1);
        long kept = heap.newGlobal(node(5)).get();
        startMarking();
        finishMarking();
        assertFalse(heap.isLive(chain[0]), "condemned: dead for the program as soon as marking ends");
        finishCycle();
        assertFalse(heap.isLive(chain[0]));
        assertFalse(heap.isLive(chain[1]));
        assertEquals(5, heap.get(kept, VALUE));
    }

    @Test
    void aReferenceOverwrittenWhileMarkingIsKeptByThatCycle() {
        GlobalHandle root = heap.newGlobal(node(0));
        long holder = root.get();
        long target;
        try (HandleScope s = heap.openHandleScope()) {
            target = node(7);
            heap.set(holder, NEXT, target);
            promoteAll();
        }
        startMarking();
        heap.set(holder, NEXT, 0); // the snapshot's only reference to target: the barrier logs it
        finishCycle();
        assertTrue(heap.isLive(target), "reachable when marking started: kept (snapshot at the beginning)");
        finishCycle();
        assertFalse(heap.isLive(target), "unreachable when the next cycle started: freed by it");
        root.close();
    }

    @Test
    void aReferenceReadThroughAHandleNoRootHoldsIsKept() {
        long[] chain = unrootedOldChain(1);
        startMarking();
        long second = heap.get(chain[0], NEXT); // the object read is now a root of this test's scope
        finishCycle();
        assertTrue(heap.isLive(second));
        assertEquals(2, heap.get(second, VALUE));
        assertFalse(heap.isLive(chain[0]), "the holder itself was never a root again");
    }

    @Test
    void aHandleNoRootHeldMadeARootWhileMarkingKeepsWhatItReaches() {
        long[] chain = unrootedOldChain(1);
        startMarking();
        heap.newLocal(chain[0]);
        heap.set(chain[0], NEXT, 0); // what it reached when it became a root stays for this cycle
        finishCycle();
        assertTrue(heap.isLive(chain[0]));
        assertTrue(heap.isLive(chain[1]));
        assertEquals(1, heap.get(chain[0], VALUE));
    }

    @Test
    void anObjectNoRootHeldStoredWhileMarkingIsKept() {
        GlobalHandle root = heap.newGlobal(node(0));
        long[] chain = unrootedOldChain(1);
        startMarking();
        CycleSteps.markSlice(heap, 1_000_000); // the holder is traced (black) before the store
        heap.set(root.get(), NEXT, chain[0]);
        finishCycle();
        assertTrue(heap.isLive(chain[0]));
        assertEquals(chain[1], heap.get(chain[0], NEXT));
        assertEquals(2, heap.get(chain[1], VALUE));
        root.close();
    }

    @Test
    void condemnedObjectsAreRefusedWhileSweeping() {
        GlobalHandle root = heap.newGlobal(node(0));
        long holder = root.get();
        long[] chain = unrootedOldChain(1);
        startMarking();
        finishMarking(); // no sweep step has run yet: the chain's memory is still there
        long x = chain[0];
        assertFalse(heap.isLive(x));
        assertThrows(StaleHandleException.class, () -> heap.newLocal(x));
        assertThrows(StaleHandleException.class, () -> heap.newGlobal(x));
        assertThrows(StaleHandleException.class, () -> heap.newWeakGlobal(x, null));
        assertThrows(StaleHandleException.class, () -> heap.pin(x));
        assertThrows(StaleHandleException.class, () -> heap.get(x, NEXT));
        assertThrows(StaleHandleException.class, () -> heap.set(holder, NEXT, x));
        assertThrows(StaleHandleException.class, () -> heap.set(x, NEXT, holder));
        try (HandleScope inner = heap.openHandleScope()) {
            assertThrows(StaleHandleException.class, () -> inner.escape(x));
        }
        assertEquals(0, heap.get(holder, NEXT), "nothing changed");
        finishCycle();
        assertThrows(StaleHandleException.class, () -> heap.get(x, VALUE), "freed by the sweep");
        root.close();
    }

    @Test
    void weakGlobalsAreClearedWhenMarkingEndsAndReadWhileMarkingKeepTheirObject() {
        long[] cleared = unrootedOldChain(1);
        long[] read = unrootedOldChain(3);
        AtomicInteger callbacks = new AtomicInteger();
        WeakGlobal weakCleared = heap.newWeakGlobal(cleared[0], callbacks::incrementAndGet);
        WeakGlobal weakRead = heap.newWeakGlobal(read[0], callbacks::incrementAndGet);
        startMarking();
        long got;
        try (HandleScope inner = heap.openHandleScope()) {
            got = weakRead.get();
            assertEquals(read[0], got);
            heap.newGlobal(got).close(); // used as a root while marking: marked
        }
        assertFalse(weakCleared.isCleared(), "not before marking ends");
        finishMarking();
        assertTrue(weakCleared.isCleared(), "cleared in the pause that ends marking");
        assertFalse(weakRead.isCleared());
        assertEquals(1, callbacks.get());
        finishCycle();
        assertTrue(heap.isLive(read[0]));
        finishCycle(); // no longer read: the next cycle clears it
        assertTrue(weakRead.isCleared());
        assertEquals(2, callbacks.get());
        weakCleared.close();
        weakRead.close();
    }

    @Test
    void objectsAllocatedOrPromotedWhileMarkingSurviveIt() {
        Type big = Type.arrayOf("CycleLongs", Kind.LONG);
        startMarking();
        long young = node(1);
        long oldAtOnce = heap.allocateArray(big, 4096); // above the nursery's object limit: old at once
        heap.setLong(oldAtOnce, 4095, 42);
        long promoted = node(2);
        heap.set(young, NEXT, promoted);
        promoteAll(); // young and promoted are promoted while marking runs: new, so marked as they arrive
        finishCycle();
        assertEquals(1, heap.get(young, VALUE));
        assertEquals(promoted, heap.get(young, NEXT));
        assertEquals(42, heap.getLong(oldAtOnce, 4095));
    }

    @Test
    void frozenAndPinnedObjectsAreRootsOfMarking() {
        GlobalHandle frozenRoot;
        try (HandleScope s = heap.openHandleScope()) {
            frozenRoot = heap.newGlobal(node(1));
        }
        heap.gc().freeze();
        long frozen;
        long onlyFromFrozen;
        Pin pin;
        long pinned;
        try (HandleScope s = heap.openHandleScope()) {
            frozen = frozenRoot.get();
            frozenRoot.close(); // frozen: a root without it, and this scope closes
            onlyFromFrozen = node(2);
            heap.set(frozen, NEXT, onlyFromFrozen);
            pinned = node(3);
            pin = heap.pin(pinned);
            promoteAll();
        }
        startMarking();
        finishCycle();
        assertEquals(2, heap.get(heap.get(frozen, NEXT), VALUE));
        assertTrue(heap.isLive(onlyFromFrozen));
        assertEquals(3, heap.get(pinned, VALUE));
        pin.close();
        heap.gc().unfreeze();
    }

    @Test
    void aThreadThatDiesWhileMarkingLeavesItsGreyWorkBehind() throws InterruptedException {
        GlobalHandle root = heap.newGlobal(node(0));
        long holder = root.get();
        long[] chain = unrootedOldChain(1);
        startMarking();
        CycleSteps.markSlice(heap, 1_000_000); // the holder is traced (black) before the store
        Thread storer = new Thread(() -> heap.set(holder, NEXT, chain[0])); // greyed in that thread's buffer
        storer.start();
        storer.join();
        heap.gc().collect(GarbageCollector.YOUNG); // drops the dead thread
        finishCycle();
        assertEquals(chain[0], heap.get(holder, NEXT));
        assertEquals(2, heap.get(heap.get(chain[0], NEXT), VALUE));
        root.close();
    }

    /**
     * Dead old objects in the remembered set that refer to dead young ones, which refer to dead old ones
     * with lower ids: sweep steps free the latter first, and a minor collection between steps must not
     * take the condemned (or unlinked) remembered objects for roots, or its scan would reach freed ids.
     */
    @Test
    void minorCollectionsBetweenSweepStepsLeaveCondemnedObjectsAlone() {
        int n = 300;
        long[] low = new long[n];
        long[] holders = new long[n];
        try (HandleScope s = heap.openHandleScope()) {
            for (int i = 0; i < n; i++) {
                low[i] = node(i); // the lowest ids: swept first
            }
            for (int i = 0; i < n; i++) {
                holders[i] = node(i);
            }
            promoteAll();
            for (int i = 0; i < n; i++) {
                long young = node(i);
                heap.set(young, NEXT, low[i]);
                heap.set(holders[i], NEXT, young); // old -> young: remembered
            }
        }
        startMarking();
        finishMarking();
        while (CycleSteps.phase(heap) == CycleSteps.SWEEPING) {
            CycleSteps.step(heap, 1); // one step of the sweep: 512 ids
            heap.gc().collect(GarbageCollector.YOUNG);
            heap.gc().verify();
        }
        for (int i = 0; i < n; i++) {
            assertFalse(heap.isLive(low[i]));
            assertFalse(heap.isLive(holders[i]));
        }
    }

    @Test
    void aFullCollectionAbandonsTheCycleInEveryPhase() {
        long[] first = unrootedOldChain(1);
        startMarking();
        heap.gc().collect();
        assertEquals(CycleSteps.IDLE, CycleSteps.phase(heap));
        assertFalse(heap.isLive(first[0]));
        long[] second = unrootedOldChain(3);
        startMarking();
        finishMarking();
        heap.gc().collect();
        assertEquals(CycleSteps.IDLE, CycleSteps.phase(heap));
        assertFalse(heap.isLive(second[1]));
        startMarking();
        finishCycle(); // the next cycle runs as usual
    }

    /**
     * The pacer learns how fast the old space grew while a cycle ran, and starts the next one that much
     * before its goal: a trigger at the goal itself would start every cycle too late to end by it.
     */
    @Test
    void aCycleDuringWhichTheOldSpaceGrewStartsTheNextBeforeItsGoal() {
        long root = heap.newGlobal(heap.allocateArray(Type.arrayOf("CycleRoots", Kind.REF), 4096)).get();
        startMarking();
        for (int i = 0; i < 4096; i++) { // promoted while marking runs: the old space grows
            try (HandleScope s = heap.openHandleScope()) {
                heap.setRef(root, i, node(i));
            }
        }
        promoteAll();
        finishMarking();
        finishCycle();
        long trigger = CycleSteps.trigger(heap);
        long goal = CycleSteps.goal(heap);
        assertTrue(trigger < goal, "trigger " + trigger + " below the goal " + goal);
    }

    /** Near its limit, the pacer's goal is what the budget has room for, not twice the live bytes. */
    @Test
    void nearTheHeapsLimitTheGoalIsWhatTheBudgetLeaves() {
        try (Heap small = Heap.builder().name("tight").nurseryBytes(256 << 10).collectorThreads(0)
                .limitBytes(36L << 20).build()) {
            CycleSteps.setAutomatic(small, false);
            try (HandleScope s = small.openHandleScope()) {
                Type longs = Type.arrayOf("CycleLongs", Kind.LONG);
                long root = small.allocateArray(Type.arrayOf("CycleBig", Kind.REF), 256);
                for (int i = 0; i < 256; i++) { // 20 MiB of old arrays (80 KB each: allocated old)
                    small.setRef(root, i, small.allocateArray(longs, 10_000));
                }
                small.gc().collect(); // measures the live bytes and sets the goal
                long live = small.stats().liveBytes();
                long goal = CycleSteps.goal(small);
                assertTrue(goal > live, "room to grow: goal " + goal + ", live " + live);
                assertTrue(goal < 2 * live, "lowered below 2 x live " + live + " by the limit: " + goal);
                assertTrue(goal < 36L << 20, "below the limit: " + goal);
            }
        }
    }
}
