package org.mm4j.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * The heap and its threads: the id space runs out cleanly and comes back, dead threads' ids included;
 * a thread that asks for statistics or verification, which stop the world, while another thread
 * collects waits for that collection without holding it up.
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
