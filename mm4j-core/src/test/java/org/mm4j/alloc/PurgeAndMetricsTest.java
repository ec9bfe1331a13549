package org.mm4j.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Empty memory goes back to the OS after the purge delay; per-class metrics count what they say. */
class PurgeAndMetricsTest {

    /** Purging decommits memory, which the portable fallback cannot do. */
    private static void assumeNativeMapping() {
        org.junit.jupiter.api.Assumptions.assumeTrue(org.mm4j.os.ProcessMemory.nativeMapping(),
                "the portable fallback cannot decommit");
    }

    private static List<MemorySegment> fill(SizeClassAllocator a, int n, long size) {
        List<MemorySegment> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(a.allocate(size));
        }
        return out;
    }

    @Test
    void emptyPagesAreKeptDuringTheDelayAndPurgedAfterIt() throws InterruptedException {
        assumeNativeMapping();
        try (SizeClassAllocator a = SizeClassAllocator.builder().purgeDelay(Duration.ofMillis(200)).build()) {
            List<MemorySegment> blocks = fill(a, 20_000, 128); // about 40 pages of 64 KiB
            long full = a.metrics().committedBytes();
            blocks.forEach(a::free);
            a.free(a.allocate(4096)); // a slow path inside the delay: nothing is purged yet
            assertTrue(a.metrics().committedBytes() >= full - (128 << 10),
                    "purged before the delay: " + a.metrics().committedBytes() + " of " + full);
            Thread.sleep(400);
            a.free(a.allocate(8192)); // the next slow path after the delay purges
            assertTrue(a.metrics().committedBytes() <= 4 * 65536L,
                    "not purged after the delay: " + a.metrics().committedBytes());
        }
    }

    @Test
    void purgingIsNotStarvedByPagesReleasedBeforeTheDelayPasses() throws InterruptedException {
        assumeNativeMapping();
        try (SizeClassAllocator a = SizeClassAllocator.builder().purgeDelay(Duration.ofMillis(100)).build()) {
            List<MemorySegment> blocks = fill(a, 20_000, 128);
            blocks.forEach(a::free); // about 40 empty pages, released at once
            long committed = a.metrics().committedBytes();
            // keep requesting and releasing pages every 30 ms (three pages of eight 16 KiB slots, one
            // kept as the spare, one current, one released): each release used to restart the delay
            for (int i = 0; i < 12; i++) {
                List<MemorySegment> pages = fill(a, 24, 16 << 10);
                pages.forEach(a::free);
                Thread.sleep(30);
            }
            assertTrue(a.metrics().committedBytes() < committed / 2,
                    "empty pages purged despite the steady releases: " + a.metrics().committedBytes()
                            + " of " + committed);
        }
    }

    @Test
    void metricsReadZeroAfterAFullyFreedClose() throws Exception {
        SizeClassAllocator a = SizeClassAllocator.builder().build();
        Thread t = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 100; i++) {
                a.free(a.allocate(64));
            }
        });
        t.join();
        a.trim(); // adopts the dead thread's heap
        a.close();
        assertEquals(0, a.metrics().liveAllocations());
        assertEquals(0, a.metrics().requestedBytes());
        assertEquals(0, a.metrics().committedBytes());
    }

    @Test
    void trimReachesTheVirtualThreadsSharedHeaps() throws Exception {
        try (SizeClassAllocator a = SizeClassAllocator.builder().build();
                var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int v = 0; v < 1000; v++) {
                done.add(executor.submit(() -> a.free(a.allocate(200))));
            }
            for (var f : done) {
                f.get();
            }
            a.trim(); // from a platform thread
            assertEquals(0, a.metrics().committedBytes());
        }
    }

    @Test
    void zeroDelayPurgesAtOnce() {
        assumeNativeMapping();
        try (SizeClassAllocator a = SizeClassAllocator.builder().purgeDelay(Duration.ZERO).build()) {
            List<MemorySegment> blocks = fill(a, 20_000, 128);
            blocks.forEach(a::free);
            assertTrue(a.metrics().committedBytes() <= 2 * 65536L,
                    "committed after freeing everything: " + a.metrics().committedBytes());
        }
    }

    @Test
    void perClassMetricsCountLiveAndTotalAllocationsAndPages() {
        try (SizeClassAllocator a = SizeClassAllocator.builder().build()) {
            List<MemorySegment> small = fill(a, 1000, 60);   // class 64
            List<MemorySegment> mid = fill(a, 10, 1000);     // class 1024
            a.free(small.removeLast());
            AllocatorMetrics.SizeClassMetrics c64 = a.metrics().sizeClasses().stream()
                    .filter(c -> c.slotBytes() == 64).findFirst().orElseThrow();
            assertEquals(999, c64.liveAllocations());
            assertEquals(1000, c64.totalAllocations());
            assertEquals(1, c64.pages(), "1000 slots of 64 bytes fit one 64 KiB page");
            assertEquals(65536, c64.committedBytes());
            assertEquals(1 - 999 * 64 / 65536.0, c64.fragmentation(), 1e-9);
            AllocatorMetrics.SizeClassMetrics c1k = a.metrics().sizeClasses().stream()
                    .filter(c -> c.slotBytes() == 1024).findFirst().orElseThrow();
            assertEquals(10, c1k.liveAllocations());
            assertEquals(999 * 4 + 10 * 24, a.metrics().internalWasteBytes());
            assertTrue(a.metrics().peakAllocatedBytes() >= a.metrics().allocatedBytes());
            small.forEach(a::free);
            mid.forEach(a::free);
        }
    }
}
