package org.mm4j.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BumpArenaTest {

    @Test
    void nestedMarksReleaseInnerAllocations() {
        try (BumpArena a = BumpArena.builder().build()) {
            a.allocate(100);
            BumpArena.Mark outer = a.mark();
            MemorySegment x = a.allocate(200);
            BumpArena.Mark inner = a.mark();
            a.allocate(300);
            assertEquals(600, a.metrics().requestedBytes());
            a.reset(inner);
            assertEquals(300, a.metrics().requestedBytes());
            assertThrows(IllegalArgumentException.class, () -> a.reset(inner), "a reset pops its mark");
            BumpArena.Mark again = a.mark();
            MemorySegment y = a.allocate(300);
            assertEquals(x.address() + 200, y.address(), "memory after the mark is reused");
            a.reset(outer);
            assertEquals(100, a.metrics().requestedBytes());
            assertThrows(IllegalArgumentException.class, () -> a.reset(again), "inner mark popped with the outer");
            BumpArena.Mark last = a.mark();
            a.resetAll();
            assertThrows(IllegalArgumentException.class, () -> a.reset(last));
            assertEquals(0, a.metrics().liveAllocations());
        }
    }

    @Test
    void closingAMarkResetsToIt() {
        try (BumpArena a = BumpArena.builder().build()) {
            a.allocate(10);
            for (int batch = 0; batch < 100_000; batch++) {
                try (BumpArena.Mark _ = a.mark()) {
                    a.allocate(64);
                    a.allocate(32);
                }
            }
            assertEquals(10, a.metrics().requestedBytes());
            assertEquals(1, a.metrics().liveAllocations());
            BumpArena.Mark outer = a.mark();
            BumpArena.Mark inner = a.mark();
            a.allocate(8);
            outer.close();
            inner.close(); // popped with the outer one: closing it does nothing
            assertEquals(10, a.metrics().requestedBytes());
        }
    }

    @Test
    void marksOfAnotherArenaAreRefused() {
        try (BumpArena a = BumpArena.builder().build(); BumpArena b = BumpArena.builder().build()) {
            BumpArena.Mark m = b.mark();
            assertThrows(IllegalArgumentException.class, () -> a.reset(m));
            assertThrows(NullPointerException.class, () -> a.reset(null));
        }
    }

    @Test
    void blocksGrowByTheFactorAndEndWasteIsCounted() {
        try (BumpArena a = BumpArena.builder().initialBlockBytes(4096).maxBlockBytes(16384).growthFactor(2).build()) {
            a.allocate(4000);
            assertEquals(1, a.metrics().blocks());
            a.allocate(200); // does not fit the 96 bytes left: next block
            assertEquals(2, a.metrics().blocks());
            assertEquals(96, a.metrics().blockEndWasteBytes());
            assertEquals(4096 + 8192, a.metrics().reservedBytes());
            a.allocate(8000); // 8192-block has 7992 left: new 16384 block
            a.allocate(100_000); // larger than the largest block: a block of its own
            assertEquals(4, a.metrics().blocks());
            assertTrue(a.metrics().reservedBytes() >= 4096 + 8192 + 16384 + 100_000);
        }
    }

    @Test
    void resetKeepsBlocksForReuseAndTrimUnmapsThem() {
        try (BumpArena a = BumpArena.builder().initialBlockBytes(4096).maxBlockBytes(4096)
                .purgeDelay(Duration.ofHours(1)).build()) {
            BumpArena.Mark start = a.mark();
            for (int i = 0; i < 10; i++) {
                a.allocate(4000);
            }
            long reserved = a.metrics().reservedBytes();
            a.reset(start);
            assertEquals(reserved, a.metrics().reservedBytes(), "blocks kept across a reset");
            start = a.mark();
            for (int i = 0; i < 10; i++) {
                a.allocate(4000);
            }
            assertEquals(reserved, a.metrics().reservedBytes(), "kept blocks reused, none mapped");
            a.reset(start);
            a.allocate(10);
            a.trim();
            assertEquals(4096, a.metrics().reservedBytes(), "trim unmaps the blocks past the current one");
        }
    }

    @Test
    void resetDecommitsBlocksUnusedLongerThanThePurgeDelay() {
        org.junit.jupiter.api.Assumptions.assumeTrue(org.mm4j.os.ProcessMemory.nativeMapping(),
                "the portable fallback cannot decommit");
        try (BumpArena a = BumpArena.builder().initialBlockBytes(4096).maxBlockBytes(4096)
                .purgeDelay(Duration.ZERO).build()) {
            for (int i = 0; i < 10; i++) {
                a.allocate(4000);
            }
            assertEquals(10 * 4096, a.metrics().committedBytes());
            a.resetAll();
            assertEquals(0, a.metrics().committedBytes(), "all blocks decommitted at once with delay 0");
            assertEquals(10 * 4096, a.metrics().reservedBytes());
            a.allocate(4000);
            assertEquals(4096, a.metrics().committedBytes(), "a reused block is committed again");
        }
    }

    @Test
    void scrubOnFreeZeroesWhatAResetReleases() {
        try (BumpArena a = BumpArena.builder().scrubOnFree(true).build()) {
            BumpArena.Mark m = a.mark();
            MemorySegment s = a.allocate(64);
            s.fill((byte) 9);
            a.reset(m);
            for (int i = 0; i < 64; i++) {
                assertEquals(0, s.get(ValueLayout.JAVA_BYTE, i));
            }
        }
    }

    @Test
    void confinedArenaRefusesOtherThreads() throws Exception {
        try (BumpArena a = BumpArena.builder().build()) {
            AtomicReference<Throwable> seen = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    a.allocate(8);
                } catch (Throwable e) {
                    seen.set(e);
                }
            });
            t.join();
            assertTrue(seen.get() instanceof WrongThreadException, String.valueOf(seen.get()));
        }
    }

    @Test
    void threadSafeArenaServesManyThreads() throws Exception {
        try (BumpArena a = BumpArena.builder().threadSafe(true).build()) {
            Thread[] ts = new Thread[4];
            for (int t = 0; t < ts.length; t++) {
                ts[t] = Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        a.allocate(16).set(ValueLayout.JAVA_LONG, 0, i);
                    }
                });
            }
            for (Thread t : ts) {
                t.join();
            }
            assertEquals(40_000, a.metrics().liveAllocations());
            assertEquals(40_000 * 16, a.metrics().requestedBytes());
        }
    }

    @Test
    void hugeRequestsAreRefusedWithoutChangingTheArena() {
        try (BumpArena a = BumpArena.builder().initialBlockBytes(4096).maxBlockBytes(4096).build()) {
            BumpArena.Mark m = a.mark();
            a.allocate(4000);
            a.allocate(4000); // a second block
            a.reset(m);       // kept for reuse: the next block after the first is a retained one
            a.allocate(4000);
            long requested = a.metrics().requestedBytes();
            long live = a.metrics().liveAllocations();
            assertThrows(IllegalArgumentException.class, () -> a.allocate(Long.MAX_VALUE - 4096, 1 << 30));
            assertThrows(IllegalArgumentException.class, () -> a.allocate(Long.MAX_VALUE));
            assertEquals(requested, a.metrics().requestedBytes());
            assertEquals(live, a.metrics().liveAllocations());
            assertEquals(8, a.allocate(8).byteSize(), "still usable");
        }
    }

    @Test
    void alignmentPaddingCountsAsAllocatedNotRequested() {
        try (BumpArena a = BumpArena.builder().build()) {
            a.allocate(1);
            MemorySegment s = a.allocate(8, 64);
            assertEquals(0, s.address() % 64);
            assertEquals(9, a.metrics().requestedBytes());
            assertTrue(a.metrics().allocatedBytes() > 9);
            MemorySegment big = a.allocate(100, 1 << 20);
            assertEquals(0, big.address() % (1 << 20));
        }
    }
}
