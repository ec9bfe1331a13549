package org.mm4j.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mm4j.alloc.Seeds;

/**
 * The heap and its threads: a thread blocked outside mm4j never holds up a collection and keeps its
 * roots; a thread that dies with open scopes leaves its roots behind until the next collection drops
 * them; the id space runs out cleanly and comes back; collections started from several threads at once
 * neither deadlock nor break the heap.
 *
 * <p>Every test body runs under a deadline. A body that misses it may be stuck inside the heap, so the
 * heap is then left open (closing it would unmap memory a stuck thread may still touch) and the test
 * fails on the deadline instead of hanging the build.
 */
class HeapThreadsTest {
    static final Type NODE = Type.struct("ThreadsNode").longField("value").refField("next").build();
    static final LongField VALUE = NODE.longField("value");
    static final RefField NEXT = NODE.refField("next");
    static final Type REFS = Type.arrayOf("ThreadsRefs", Kind.REF);

    private Heap heap;
    /** Threads the test started; all must have ended before the heap is closed. */
    private final List<Thread> threads = new ArrayList<>();
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    /** Whether a test body is still running: set when one missed its deadline and may be stuck. */
    private volatile boolean bodyRunning;

    static LongStream seeds() {
        return Seeds.seeds(3);
    }

    @BeforeEach
    void open() {
        heap = Heap.builder().name("threads").nurseryBytes(256 << 10).build();
    }

    @AfterEach
    void verifyAndClose() throws InterruptedException {
        List<String> running = new ArrayList<>();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(10));
            if (t.isAlive()) {
                running.add(t.getName());
            }
        }
        if (bodyRunning || !running.isEmpty()) {
            fail("heap left open: a test body or threads " + running + " may still be inside it");
        }
        try {
            heap.gc().verify();
        } finally {
            heap.close();
        }
    }

    /** Makes {@code other} the test's heap, verified and closed after the test instead of the default one. */
    private Heap use(Heap other) {
        heap.close();
        heap = other;
        return other;
    }

    /** Runs {@code body} on a thread of JUnit's, failing if it takes longer than {@code seconds}. */
    private void within(int seconds, Executable body) {
        bodyRunning = true;
        assertTimeoutPreemptively(Duration.ofSeconds(seconds), () -> {
            try {
                body.execute();
            } finally {
                bodyRunning = false;
            }
        });
    }

    /** Starts a thread whose failure fails the test (see {@link #joinAll}). */
    private Thread start(String name, Executable work) {
        Thread t = new Thread(() -> {
            try {
                work.execute();
            } catch (Throwable e) {
                failures.add(e);
            }
        }, name);
        threads.add(t);
        t.start();
        return t;
    }

    /** Waits for every started thread and rethrows the first failure of any. */
    private void joinAll() throws Throwable {
        for (Thread t : threads) {
            t.join();
        }
        Throwable first = failures.peek();
        if (first != null) {
            throw new AssertionError(failures.size() + " thread(s) failed", first);
        }
    }

    // ------------------------------------------------------------------ a blocked thread

    /** Allocates garbage until the heap has run {@code count} more minor collections. */
    private void fillEden(int count) {
        long target = heap.gc().stats(GarbageCollector.YOUNG).collections() + count;
        while (heap.gc().stats(GarbageCollector.YOUNG).collections() < target) {
            try (HandleScope s = heap.openHandleScope()) {
                for (int i = 0; i < 256; i++) {
                    heap.allocate(NODE);
                }
            }
        }
    }

    @Test
    void aThreadBlockedOutsideTheHeapKeepsItsRootsAndHoldsUpNoCollection() throws Throwable {
        CountDownLatch allocated = new CountDownLatch(1);
        CountDownLatch wake = new CountDownLatch(1);
        AtomicLong held = new AtomicLong();
        AtomicLong child = new AtomicLong();
        start("blocked", () -> {
            try (HandleScope s = heap.openHandleScope()) {
                long h = heap.allocate(NODE);
                heap.set(h, VALUE, 42);
                try (HandleScope inner = heap.openHandleScope()) {
                    long c = heap.allocate(NODE); // reachable only through h once inner closes
                    heap.set(c, VALUE, 43);
                    heap.set(h, NEXT, c);
                    child.set(c);
                }
                held.set(h);
                allocated.countDown();
                wake.await(); // blocked outside mm4j, its scope open and its allocation buffer half used

                assertEquals(42, heap.get(h, VALUE), "the handle still works after its object moved");
                try (HandleScope inner = heap.openHandleScope()) {
                    assertEquals(43, heap.get(heap.get(h, NEXT), VALUE));
                    long more = heap.allocate(NODE); // its old buffer was retired by the collections
                    heap.set(more, VALUE, 44);
                    heap.set(h, NEXT, more); // h is old by now: the write barrier remembers it
                }
                heap.gc().collect(GarbageCollector.YOUNG);
                try (HandleScope inner = heap.openHandleScope()) {
                    assertEquals(44, heap.get(heap.get(h, NEXT), VALUE));
                }
            }
        });
        within(10, () -> {
            allocated.await();
            heap.gc().collect(GarbageCollector.YOUNG); // copies the blocked thread's objects to a survivor
            heap.gc().collect(); // promotes them, then marks and sweeps
            fillEden(2); // collections that this thread's allocation starts
            long h = held.get();
            assertTrue(heap.isLive(h), "the blocked thread's local handle is a root");
            assertTrue(heap.isLive(child.get()), "and what it refers to stays alive");
            assertEquals(42, heap.get(h, VALUE));
            assertEquals(2, heap.stats().oldObjects(), "both promoted while the thread was blocked");
            heap.gc().verify();
        });
        wake.countDown();
        joinAll();
        within(10, () -> {
            heap.gc().collect();
            assertFalse(heap.isLive(held.get()), "its scope closed: no root left");
            assertFalse(heap.isLive(child.get()));
            assertEquals(0, heap.stats().liveObjects());
        });
    }

    // ------------------------------------------------------------------ a dead thread

    @Test
    @SuppressWarnings("MustBeClosedChecker") // the thread dies with its scopes open on purpose
    void aThreadThatDiesWithOpenScopesLeavesRootsTheNextCollectionDrops() throws Throwable {
        GlobalHandle holder;
        try (HandleScope s = heap.openHandleScope()) {
            holder = heap.newGlobal(heap.allocate(NODE));
        }
        heap.gc().collect(GarbageCollector.YOUNG);
        heap.gc().collect(GarbageCollector.YOUNG); // tenuring threshold 2: the holder is old
        long[] onlyItsOwn = new long[100];
        AtomicLong stored = new AtomicLong();
        start("dies", () -> {
            heap.openHandleScope();
            for (int i = 0; i < 50; i++) {
                onlyItsOwn[i] = heap.allocate(NODE);
            }
            heap.openHandleScope(); // nested, also left open
            for (int i = 50; i < 100; i++) {
                onlyItsOwn[i] = heap.allocate(NODE);
                heap.set(onlyItsOwn[i], NEXT, onlyItsOwn[i - 1]);
            }
            long young = heap.allocate(NODE);
            heap.set(young, VALUE, 7);
            try (HandleScope s = heap.openHandleScope()) {
                heap.set(holder.get(), NEXT, young); // old -> young: only this thread's barrier buffer has it
            }
            stored.set(young);
        });
        joinAll();
        within(10, () -> {
            for (long h : onlyItsOwn) {
                assertTrue(heap.isLive(h), "no collection yet: the dead thread's roots still hold");
            }
            heap.gc().collect(GarbageCollector.YOUNG);
            for (long h : onlyItsOwn) {
                assertFalse(heap.isLive(h), "held only by a dead thread: freed by the next collection");
            }
            assertTrue(heap.isLive(stored.get()), "its barrier record outlived it");
            assertEquals(7, heap.get(stored.get(), VALUE));
            heap.gc().verify();
            heap.gc().collect();
            assertEquals(2, heap.stats().liveObjects(), "the holder and what it refers to");
            try (HandleScope s = heap.openHandleScope()) {
                assertEquals(7, heap.get(heap.get(holder.get(), NEXT), VALUE));
            }
            holder.close();
            heap.gc().collect();
            assertEquals(0, heap.stats().liveObjects());
        });
    }

    // ------------------------------------------------------------------ the id space

    @Test
    void runningOutOfIdsThrowsBeforeAnyChangeAndCollectionsBringThemBack() {
        int maxObjects = 1000;
        Heap small = use(Heap.builder().name("ids").nurseryBytes(256 << 10).maxObjects(maxObjects).build());
        within(10, () -> {
            List<Long> held = new ArrayList<>();
            try (HandleScope s = small.openHandleScope()) {
                HandleSpaceExhaustedException e = assertThrows(HandleSpaceExhaustedException.class, () -> {
                    while (true) {
                        long h = small.allocate(NODE);
                        small.set(h, VALUE, held.size());
                        held.add(h);
                    }
                });
                assertEquals(maxObjects - 1, held.size(), "every id but 0 was handed out");
                String m = e.getMessage();
                assertTrue(m.contains("'ids'") && m.contains("no free object id")
                        && m.contains("(maxIds " + maxObjects + ")"), m);
                HeapStats stats = small.stats();
                assertEquals(maxObjects - 1, stats.liveObjects(), "the failed allocation left no object");
                assertEquals((maxObjects - 1) * NODE.fixedBytes(), stats.liveBytes());
                assertThrows(HandleSpaceExhaustedException.class, () -> small.allocateArray(REFS, 1));
                small.gc().verify();
                small.gc().collect();
                assertThrows(HandleSpaceExhaustedException.class, () -> small.allocate(NODE),
                        "everything is still rooted");
                for (int i = 0; i < held.size(); i++) {
                    assertEquals(i, small.get(held.get(i), VALUE));
                }
            }
            small.gc().collect(); // the scope closed: every object is garbage
            assertEquals(0, small.stats().liveObjects());
            for (int round = 0; round < 3; round++) {
                try (HandleScope s = small.openHandleScope()) {
                    List<Long> again = new ArrayList<>();
                    for (int i = 0; i < maxObjects / 2; i++) {
                        long h = small.allocate(NODE);
                        small.set(h, VALUE, i);
                        again.add(h);
                    }
                    for (int i = 0; i < again.size(); i++) {
                        assertEquals(i, small.get(again.get(i), VALUE));
                    }
                }
                small.gc().collect();
            }
            small.gc().verify();
        });
    }

    @Test
    @SuppressWarnings("MustBeClosedChecker") // each thread dies with its scope open on purpose
    void deadThreadsGiveBackTheIdsTheyReserved() throws Throwable {
        int maxObjects = 200;
        Heap small = use(Heap.builder().name("ids").nurseryBytes(256 << 10).maxObjects(maxObjects).build());
        within(20, () -> {
            // 20 threads allocate 10 objects each, 200 in all: more than the 199 ids, so the test
            // passes only if dead threads' objects are freed and their unused reserved ids return
            for (int t = 0; t < 20; t++) {
                Thread thread = start("short-lived-" + t, () -> {
                    small.openHandleScope();
                    for (int i = 0; i < 10; i++) {
                        small.set(small.allocate(NODE), VALUE, i);
                    }
                });
                thread.join();
                small.gc().collect();
                assertEquals(0, small.stats().liveObjects(), "after thread " + t);
            }
            joinAll();
            small.gc().verify();
        });
    }

    // ------------------------------------------------------------------ concurrent collections

    /** References each worker keeps in its own array, a global root, against a model of the values. */
    private static final int SLOTS = 64;

    /**
     * Several threads allocate until eden fills (each then starts a minor collection, or waits for the
     * one another thread started), and call for young and full collections, verification and
     * statistics — each of which stops the world — in a seeded random order. Each keeps an old array of
     * references to young objects (so the write barrier runs between collections) and checks it against
     * a model after every round. At the end the heap must count exactly the objects the workers kept.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void collectionsStartedFromSeveralThreadsAtOnce(long seed) {
        Seeds.withSeed(seed, () -> within(60, () -> {
            int workers = 4;
            List<GlobalHandle> roots = new ArrayList<>();
            List<long[]> models = new ArrayList<>();
            for (int t = 0; t < workers; t++) {
                try (HandleScope s = heap.openHandleScope()) {
                    roots.add(heap.newGlobal(heap.allocateArray(REFS, SLOTS)));
                }
                models.add(new long[SLOTS]);
            }
            Set<String> starters = ConcurrentHashMap.newKeySet();
            heap.gc().addCallback(event -> {
                if (event.phase() == GarbageCollector.CollectionEvent.Phase.START) {
                    starters.add(Thread.currentThread().getName());
                }
            });
            CountDownLatch go = new CountDownLatch(1);
            for (int t = 0; t < workers; t++) {
                SplittableRandom random = new SplittableRandom(seed + 31L * t);
                GlobalHandle root = roots.get(t);
                long[] model = models.get(t);
                long tagBase = (long) t << 32;
                start("worker-" + t, () -> {
                    go.await();
                    work(random, root, model, tagBase);
                });
            }
            go.countDown();
            joinAll();
            assertTrue(starters.size() > 1, "collections started from several threads: " + starters);
            heap.gc().verify();
            long kept = workers;
            for (int t = 0; t < workers; t++) {
                checkModel(roots.get(t), models.get(t));
                kept += LongStream.of(models.get(t)).filter(v -> v != 0).count();
            }
            heap.gc().collect();
            assertEquals(kept, heap.stats().liveObjects(), "exactly the arrays and what they refer to");
            roots.forEach(GlobalHandle::close);
            heap.gc().collect();
            assertEquals(0, heap.stats().liveObjects());
        }));
    }

    private void work(SplittableRandom random, GlobalHandle root, long[] model, long tagBase) {
        long tag = tagBase;
        for (int round = 0; round < 12; round++) {
            try (HandleScope s = heap.openHandleScope()) {
                long array = root.get();
                int burst = 2000 + random.nextInt(6000); // four threads' bursts fill the ~200 KiB eden
                for (int i = 0; i < burst; i += 100) {
                    try (HandleScope inner = heap.openHandleScope()) {
                        long previous = 0;
                        for (int j = 0; j < 100; j++) {
                            long n = heap.allocate(NODE);
                            heap.set(n, VALUE, ++tag);
                            heap.set(n, NEXT, previous); // garbage chains, dead when inner closes
                            previous = n;
                            if (random.nextInt(64) == 0) {
                                int slot = random.nextInt(SLOTS);
                                heap.set(n, NEXT, 0);
                                heap.setRef(array, slot, n);
                                model[slot] = tag;
                            }
                        }
                    }
                }
                switch (random.nextInt(16)) {
                    case 0, 1, 2 -> heap.gc().collect(GarbageCollector.YOUNG);
                    case 3 -> heap.gc().collect();
                    case 4 -> heap.gc().verify();
                    case 5 -> heap.stats();
                    default -> { } // only the collections that full edens start
                }
                checkModel(root, model);
            }
        }
    }

    private void checkModel(GlobalHandle root, long[] model) {
        try (HandleScope s = heap.openHandleScope()) {
            long array = root.get();
            for (int slot = 0; slot < SLOTS; slot++) {
                long n = heap.getRef(array, slot);
                if (model[slot] == 0) {
                    assertEquals(0, n, "slot " + slot);
                } else {
                    assertEquals(model[slot], heap.get(n, VALUE), "slot " + slot);
                    assertEquals(0, heap.get(n, NEXT), "slot " + slot);
                }
            }
        }
    }

    // ------------------------------------------------------------------ world stops from several threads

    /**
     * Statistics and verification stop the world as a collection does. Called while another thread's
     * collection holds the collector's lock but has not yet stopped the world (here: while its START
     * callback runs), they must wait for that collection outside any operation; waiting inside one,
     * they would be the thread the collection's stop waits for, forever.
     */
    @Test
    void aWorldStopWaitingForAnotherThreadsCollectionStepsOut() throws Throwable {
        CountDownLatch collecting = new CountDownLatch(1);
        AtomicReference<Thread> waiter = new AtomicReference<>();
        AtomicBoolean first = new AtomicBoolean(true);
        AtomicBoolean statsCalled = new AtomicBoolean();
        heap.gc().addCallback(event -> {
            if (event.phase() == GarbageCollector.CollectionEvent.Phase.START && first.getAndSet(false)) {
                collecting.countDown(); // the lock is held; the world is not stopped yet
                waitUntilParked(waiter, statsCalled);
            }
        });
        within(10, () -> {
            waiter.set(start("stats", () -> {
                collecting.await();
                statsCalled.set(true); // from here on, this thread parks only to wait for the lock
                heap.stats(); // enters, then waits for the lock the collection holds
                heap.gc().verify();
            }));
            heap.gc().collect(GarbageCollector.YOUNG);
            joinAll();
        });
    }

    /** Returns once the thread in {@code waiter} parks or ends after setting {@code started} (or after 5 s). */
    private static void waitUntilParked(AtomicReference<Thread> waiter, AtomicBoolean started) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            Thread t = waiter.get();
            if (t != null && started.get()
                    && (t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TERMINATED)) {
                return;
            }
            Thread.onSpinWait();
        }
    }

    /** The same race, seeded and at random: collections, verifications and statistics from three threads. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void verificationAndStatisticsWhileOtherThreadsCollect(long seed) {
        Seeds.withSeed(seed, () -> within(30, () -> {
            for (int t = 0; t < 3; t++) {
                SplittableRandom random = new SplittableRandom(seed + 31L * t);
                start("stopper-" + t, () -> {
                    for (int i = 0; i < 5000; i++) {
                        switch (random.nextInt(5)) {
                            case 0, 1 -> heap.gc().collect(GarbageCollector.YOUNG);
                            case 2 -> heap.gc().collect();
                            case 3 -> heap.gc().verify();
                            default -> assertEquals(0, heap.stats().liveObjects());
                        }
                    }
                });
            }
            joinAll();
        }));
    }
}
