package org.mm4j.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mm4j.alloc.Allocators.Kind;
import org.mm4j.os.MemoryBudget;
import org.mm4j.os.MemoryLimitExceededException;

/** The contract of {@link MemoryAllocator}, run against every implementation. */
class MemoryAllocatorContractTest {

    static long size(Kind<?> kind, long wanted) {
        return Math.min(wanted, kind.maxSize());
    }

    @ParameterizedTest
    @MethodSource("org.mm4j.alloc.Allocators#all")
    void allocationHasRequestedSizeAndAlignmentAndIsWritable(Kind<?> kind) {
        try (MemoryAllocator a = kind.plain().get()) {
            for (long align : new long[] {1, 2, 8, 16, 64}) {
                long size = size(kind, 40);
                MemorySegment s = a.allocate(size, align);
                assertEquals(size, s.byteSize());
                assertEquals(0, s.address() % align, "alignment " + align);
                s.fill((byte) 0x5A);
                assertEquals((byte) 0x5A, s.get(ValueLayout.JAVA_BYTE, size - 1));
                release(a, s);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.mm4j.alloc.Allocators#all")
    void liveAllocationsDoNotOverlap(Kind<?> kind) {
        try (MemoryAllocator a = kind.plain().get()) {
            List<MemorySegment> live = new ArrayList<>();
            int n = kind.equals(Allocators.LARGE) ? 20 : 2000;
            for (int i = 0; i < n; i++) {
                live.add(a.allocate(size(kind, 1 + (i * 37) % 200)));
            }
            live.sort((x, y) -> Long.compareUnsigned(x.address(), y.address()));
            for (int i = 1; i < live.size(); i++) {
                MemorySegment prev = live.get(i - 1);
                assertTrue(prev.address() + prev.byteSize() <= live.get(i).address(), "overlap at " + i);
            }
            assertEquals(n, a.metrics().liveAllocations());
            for (MemorySegment s : live) {
                release(a, s);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.mm4j.alloc.Allocators#all")
    void badSizeOrAlignmentIsRejectedAndChangesNothing(Kind<?> kind) {
        try (MemoryAllocator a = kind.plain().get()) {
            MemorySegment keep = a.allocate(size(kind, 16));
            long live = a.metrics().liveAllocations();
            long requested = a.metrics().requestedBytes();
            assertThrows(IllegalArgumentException.class, () -> a.allocate(0));
            assertThrows(IllegalArgumentException.class, () -> a.allocate(-5));
            assertThrows(IllegalArgumentException.class, () -> a.allocate(16, 3));
            assertThrows(IllegalArgumentException.class, () -> a.allocate(16, 0));
            assertThrows(IllegalArgumentException.class, () -> a.allocate(16, -8));
            assertEquals(live, a.metrics().liveAllocations());
            assertEquals(requested, a.metrics().requestedBytes());
            MemorySegment again = a.allocate(size(kind, 16));
            assertEquals(size(kind, 16), again.byteSize());
            release(a, again);
            release(a, keep);
        }
    }

    @ParameterizedTest
    @MethodSource("org.mm4j.alloc.Allocators#all")
    void limitIsATypedExceptionAndTheAllocatorStaysUsable(Kind<?> kind) {
        // the portable fallback commits a whole 4 MiB chunk when it maps one
        long limit = org.mm4j.os.ProcessMemory.nativeMapping() ? 1 << 20 : 16 << 20;
        try (MemoryAllocator a = kind.withLimit().apply(limit)) {
            List<MemorySegment> live = new ArrayList<>();
            long size = size(kind, 64 << 10);
            MemoryLimitExceededException e = assertThrows(MemoryLimitExceededException.class, () -> {
                for (int i = 0; i < 100_000; i++) {
                    live.add(a.allocate(size));
                }
            });
            assertEquals(limit, e.limitBytes());
            assertTrue(a.metrics().committedBytes() <= limit, "committed " + a.metrics().committedBytes());
            assertEquals(live.size(), a.metrics().liveAllocations());
            for (MemorySegment s : live) {
                s.fill((byte) 1); // still intact and writable
            }
            if (a instanceof FreeingAllocator f) {
                f.free(live.removeLast());
                f.trim();
                live.add(a.allocate(size)); // room again after a free
                for (MemorySegment s : live) {
                    f.free(s);
                }
            } else if (a instanceof BumpArena arena) {
                arena.resetAll();
                a.allocate(size);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.mm4j.alloc.Allocators#all")
    void sharedBudgetBoundsAllItsAllocators(Kind<?> kind) {
        MemoryBudget shared = MemoryBudget.of("shared", 2 << 20);
        try (MemoryAllocator first = build(kind, shared); MemoryAllocator second = build(kind, shared)) {
            List<MemorySegment> a = new ArrayList<>();
            List<MemorySegment> b = new ArrayList<>();
            long size = size(kind, 128 << 10);
            assertThrows(MemoryLimitExceededException.class, () -> {
                for (int i = 0; i < 10_000; i++) {
                    a.add(first.allocate(size));
                    b.add(second.allocate(size));
                }
            });
            assertTrue(shared.usedBytes() <= shared.limitBytes());
            assertEquals(first.metrics().committedBytes() + second.metrics().committedBytes(), shared.usedBytes());
            a.forEach(s -> release(first, s));
            b.forEach(s -> release(second, s));
        }
        assertEquals(0, shared.usedBytes(), "closing gives every byte back to the budget");
    }

    private static MemoryAllocator build(Kind<?> kind, MemoryBudget budget) {
        return switch (kind.name()) {
            case "size-classes" -> SizeClassAllocator.builder().budget(budget).build();
            case "slab-256" -> SlabAllocator.builder(256).budget(budget).build();
            case "large" -> LargeAllocator.builder().budget(budget).build();
            default -> BumpArena.builder().budget(budget).build();
        };
    }

    @ParameterizedTest
    @MethodSource("org.mm4j.alloc.Allocators#all")
    void useAfterCloseThrowsAndSegmentsBecomeInaccessible(Kind<?> kind) {
        MemoryAllocator a = kind.plain().get();
        MemorySegment s = a.allocate(size(kind, 32));
        release(a, s);
        MemorySegment kept = a.allocate(size(kind, 32));
        if (a instanceof FreeingAllocator f) {
            f.free(kept);
        }
        a.close();
        a.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> a.allocate(8));
        assertThrows(IllegalStateException.class, () -> kept.get(ValueLayout.JAVA_BYTE, 0),
                "memory of a closed allocator must not be reachable");
        if (a instanceof FreeingAllocator f) {
            assertThrows(IllegalStateException.class, () -> f.free(kept));
        }
    }

    @ParameterizedTest
    @MethodSource("org.mm4j.alloc.Allocators#all")
    void zeroOnAllocateGivesZeroedMemory(Kind<?> kind) {
        try (MemoryAllocator a = switch (kind.name()) {
            case "size-classes" -> SizeClassAllocator.builder().zeroOnAllocate(true).build();
            case "slab-256" -> SlabAllocator.builder(256).zeroOnAllocate(true).build();
            case "large" -> LargeAllocator.builder().zeroOnAllocate(true).build();
            default -> BumpArena.builder().zeroOnAllocate(true).build();
        }) {
            long size = size(kind, 200);
            for (int round = 0; round < 3; round++) {
                MemorySegment s = a.allocate(size);
                for (long i = 0; i < size; i++) {
                    assertEquals(0, s.get(ValueLayout.JAVA_BYTE, i), "byte " + i + " round " + round);
                }
                s.fill((byte) 0x77);
                release(a, s);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.mm4j.alloc.Allocators#all")
    void metricsAccountRequestedAllocatedAndCommitted(Kind<?> kind) {
        try (MemoryAllocator a = kind.plain().get()) {
            AllocatorMetrics m = a.metrics();
            assertEquals(0, m.liveAllocations());
            long size = size(kind, 100);
            MemorySegment s1 = a.allocate(size);
            MemorySegment s2 = a.allocate(size);
            assertEquals(2, m.liveAllocations());
            assertEquals(2 * size, m.requestedBytes());
            assertTrue(m.allocatedBytes() >= m.requestedBytes());
            assertTrue(m.committedBytes() >= m.allocatedBytes() || kind.equals(Allocators.ARENA));
            assertTrue(m.reservedBytes() >= m.committedBytes() || kind.equals(Allocators.LARGE));
            assertTrue(m.peakCommittedBytes() >= m.committedBytes());
            assertTrue(m.totalAllocations() >= 2);
            assertTrue(m.fragmentation() >= 0 && m.fragmentation() <= 1);
            assertEquals(m.allocatedBytes() - m.requestedBytes(), m.internalWasteBytes());
            if (a instanceof FreeingAllocator f) {
                f.free(s1);
                assertEquals(1, m.liveAllocations());
                assertEquals(size, m.requestedBytes());
                f.free(s2);
                assertEquals(0, m.requestedBytes());
                assertEquals(0, m.allocatedBytes());
            }
        }
    }

    static void release(MemoryAllocator a, MemorySegment s) {
        if (a instanceof FreeingAllocator f) {
            f.free(s);
        }
    }
}
