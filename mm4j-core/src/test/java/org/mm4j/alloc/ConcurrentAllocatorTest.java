package org.mm4j.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Several threads allocating, writing and freeing at once, a share of the blocks freed by other threads
 * than the one that allocated them; and the memory of threads that ended, reclaimed.
 */
class ConcurrentAllocatorTest {

    static Stream<Arguments> threadsAndSeeds() {
        return Seeds.seeds(2).boxed().flatMap(seed -> Stream.of(2, 4, 8).map(t -> Arguments.of(t, seed)));
    }

    /** Each thread tags its blocks with its id and a sequence number; every free checks the tag. */
    @ParameterizedTest(name = "{0} threads, seed {1}")
    @MethodSource("threadsAndSeeds")
    void crossThreadFreesKeepEveryBlockIntact(int threads, long seed) throws Exception {
        SizeClassAllocator a = SizeClassAllocator.builder().name("stress").build();
        List<BlockingQueue<MemorySegment>> inboxes = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            inboxes.add(new ArrayBlockingQueue<>(1 << 16));
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(threads);
        List<Thread> workers = new ArrayList<>();
        int perThread = 40_000;
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread w = Thread.ofPlatform().name("stress-" + t).start(() -> {
                try {
                    Random r = new Random(seed + id);
                    List<MemorySegment> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        int size = 16 + r.nextInt(r.nextInt(8) == 0 ? 4000 : 240);
                        MemorySegment s = a.allocate(size);
                        s.set(ValueLayout.JAVA_INT_UNALIGNED, 0, id);
                        s.set(ValueLayout.JAVA_INT_UNALIGNED, 4, i);
                        s.set(ValueLayout.JAVA_BYTE, size - 1, (byte) i);
                        if (r.nextInt(3) == 0) {
                            inboxes.get(r.nextInt(threads)).put(s); // freed by some thread, maybe this one
                        } else {
                            mine.add(s);
                        }
                        if (mine.size() > 500) {
                            check(mine.remove(r.nextInt(mine.size())), a);
                        }
                        MemorySegment in;
                        while ((in = inboxes.get(id).poll()) != null) {
                            check(in, a);
                        }
                    }
                    for (MemorySegment s : mine) {
                        check(s, a);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            });
            workers.add(w);
        }
        assertTrue(done.await(120, TimeUnit.SECONDS), "workers finished");
        for (Thread w : workers) {
            w.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("failed with seed " + seed + " (replay with -Dseed=" + seed + ")", failure.get());
        }
        ((org.mm4j.internal.alloc.PagedAllocator) a).verify();
        for (BlockingQueue<MemorySegment> q : inboxes) {
            for (MemorySegment s : q) {
                check(s, a);
            }
        }
        assertEquals(0, a.metrics().liveAllocations(), "every block freed exactly once");
        assertEquals(0, a.metrics().requestedBytes());
        a.trim();
        assertEquals(0, a.metrics().committedBytes(), "the workers' heaps were adopted and emptied");
        a.close(); // leak check
    }

    private static void check(MemorySegment s, FreeingAllocator a) {
        int i = s.get(ValueLayout.JAVA_INT_UNALIGNED, 4);
        assertEquals((byte) i, s.get(ValueLayout.JAVA_BYTE, s.byteSize() - 1), "block tail intact");
        a.free(s);
    }

    @Test
    void memoryOfThreadsThatEndedIsReclaimed() throws Exception {
        try (SizeClassAllocator a = SizeClassAllocator.builder().build()) {
            ConcurrentLinkedQueue<MemorySegment> handed = new ConcurrentLinkedQueue<>();
            for (int round = 0; round < 20; round++) {
                Thread t = Thread.ofPlatform().start(() -> {
                    List<MemorySegment> local = new ArrayList<>();
                    for (int i = 0; i < 5_000; i++) {
                        local.add(a.allocate(64));
                    }
                    handed.add(local.getFirst()); // outlives the thread, freed remotely below
                    for (int i = 1; i < local.size(); i++) {
                        a.free(local.get(i));
                    }
                });
                t.join();
            }
            long committedWithDeadHeaps = a.metrics().committedBytes();
            for (MemorySegment s : handed) {
                a.free(s); // remote frees into the pages of dead threads
            }
            ((org.mm4j.internal.alloc.PagedAllocator) a).verify();
            a.trim(); // adopts the dead heaps and gives their empty pages back
            ((org.mm4j.internal.alloc.PagedAllocator) a).verify();
            assertEquals(0, a.metrics().liveAllocations());
            assertTrue(a.metrics().committedBytes() < committedWithDeadHeaps,
                    "committed " + a.metrics().committedBytes() + " vs " + committedWithDeadHeaps);
            assertEquals(0, a.metrics().committedBytes());
        }
    }

    @Test
    void virtualThreadsShareStripedHeaps() throws Exception {
        try (SizeClassAllocator a = SizeClassAllocator.builder().build();
                var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            ConcurrentLinkedQueue<MemorySegment> kept = new ConcurrentLinkedQueue<>();
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (int v = 0; v < 10_000; v++) {
                int id = v;
                futures.add(executor.submit(() -> {
                    MemorySegment s = a.allocate(48);
                    s.set(ValueLayout.JAVA_INT, 0, id);
                    if (id % 2 == 0) {
                        kept.add(s);
                    } else {
                        a.free(s);
                    }
                }));
            }
            for (var f : futures) {
                f.get();
            }
            ((org.mm4j.internal.alloc.PagedAllocator) a).verify();
            assertEquals(5_000, a.metrics().liveAllocations());
            long pages = a.metrics().sizeClasses().stream().mapToInt(AllocatorMetrics.SizeClassMetrics::pages).sum();
            assertTrue(pages <= Runtime.getRuntime().availableProcessors() * 2L + 2,
                    "10 000 virtual threads must not hold a page each: " + pages);
            for (MemorySegment s : kept) {
                a.free(s);
            }
            assertEquals(0, a.metrics().liveAllocations());
        }
    }
}
