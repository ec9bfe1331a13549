package org.mm4j.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mm4j.internal.alloc.PagedAllocator;

/**
 * Threads that come and go: in each round a few short-lived platform threads and a batch of virtual
 * threads allocate, tag and free blocks, hand some to a shared queue and die holding others, so dead
 * heaps are adopted while other threads still free into their pages. Between rounds the allocator's
 * structure is verified and the survivors' tags are checked; at the end everything is freed and given
 * back.
 */
class ThreadChurnTest {
    private static final int ROUNDS = 12;

    static LongStream seeds() {
        return Seeds.seeds(3);
    }

    /** A block and the tag written into it. */
    private record Tagged(MemorySegment segment, long tag) {}

    @ParameterizedTest
    @MethodSource("seeds")
    void deadHeapsAreAdoptedWhileOthersFreeIntoThem(long seed) {
        Seeds.withSeed(seed, () -> {
            Random seeds = new Random(seed);
            SizeClassAllocator a = SizeClassAllocator.builder().name("churn").build();
            ConcurrentLinkedQueue<Tagged> handed = new ConcurrentLinkedQueue<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            for (int round = 0; round < ROUNDS; round++) {
                List<Thread> threads = new ArrayList<>();
                int platform = 1 + seeds.nextInt(3);
                for (int t = 0; t < platform + 20; t++) {
                    long threadSeed = seeds.nextLong();
                    Runnable work = () -> {
                        try {
                            churn(a, handed, new Random(threadSeed));
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        }
                    };
                    threads.add(t < platform ? Thread.ofPlatform().start(work) : Thread.ofVirtual().start(work));
                }
                for (Thread t : threads) {
                    t.join();
                }
                if (failure.get() != null) {
                    throw failure.get();
                }
                ((PagedAllocator) a).verify();
                for (Tagged b : handed) {
                    assertEquals(b.tag(), b.segment().get(ValueLayout.JAVA_LONG_UNALIGNED, 0), "block intact");
                }
                assertEquals(handed.size(), a.metrics().liveAllocations(), "live blocks after round " + round);
                if (round % 4 == 3) {
                    a.trim();
                    ((PagedAllocator) a).verify();
                }
            }
            Tagged b;
            while ((b = handed.poll()) != null) {
                a.free(b.segment());
            }
            a.trim();
            ((PagedAllocator) a).verify();
            assertEquals(0, a.metrics().liveAllocations());
            assertEquals(0, a.metrics().requestedBytes());
            assertEquals(0, a.metrics().committedBytes(), "every dead heap adopted and emptied");
            a.close();
        });
    }

    /** One thread's life: allocate, free some of its own and of others' blocks, leave some behind. */
    private static void churn(SizeClassAllocator a, ConcurrentLinkedQueue<Tagged> handed, Random r) {
        List<Tagged> mine = new ArrayList<>();
        int ops = 200 + r.nextInt(2000);
        for (int i = 0; i < ops; i++) {
            int choice = r.nextInt(10);
            if (choice < 5) {
                long size = 8 + r.nextInt(r.nextInt(10) == 0 ? 20_000 : 300);
                MemorySegment s = a.allocate(size);
                long tag = r.nextLong();
                s.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, tag);
                mine.add(new Tagged(s, tag));
            } else if (choice < 8 && !mine.isEmpty()) {
                Tagged t = mine.remove(r.nextInt(mine.size()));
                check(t);
                a.free(t.segment());
            } else {
                Tagged t = handed.poll(); // very likely allocated by another, maybe dead, thread
                if (t != null) {
                    check(t);
                    a.free(t.segment());
                }
            }
        }
        // die holding some blocks: they go to the queue, to be freed by other threads later
        handed.addAll(mine);
    }

    private static void check(Tagged t) {
        assertEquals(t.tag(), t.segment().get(ValueLayout.JAVA_LONG_UNALIGNED, 0), "block intact before free");
    }
}
