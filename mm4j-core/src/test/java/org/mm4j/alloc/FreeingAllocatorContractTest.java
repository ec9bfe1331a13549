package org.mm4j.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mm4j.alloc.Allocators.Kind;

/** The contract of {@link FreeingAllocator#free}, run against every freeing implementation. */
class FreeingAllocatorContractTest {

    private static long size(Kind<?> kind) {
        return Math.min(kind.maxSize(), 96);
    }

    @ParameterizedTest
    @MethodSource("org.mm4j.alloc.Allocators#freeing")
    void freedMemoryIsReused(Kind<? extends FreeingAllocator> kind) {
        try (FreeingAllocator a = kind.plain().get()) {
            if (kind.equals(Allocators.LARGE)) {
                return; // large blocks are unmapped on free, not reused
            }
            MemorySegment s = a.allocate(size(kind));
            long address = s.address();
            a.free(s);
            MemorySegment again = a.allocate(size(kind));
            assertEquals(address, again.address(), "the freed slot is handed out again");
            a.free(again);
        }
    }

    @ParameterizedTest
    @MethodSource("org.mm4j.alloc.Allocators#freeing")
    void doubleFreeIsDetectedAndChangesNothing(Kind<? extends FreeingAllocator> kind) {
        try (FreeingAllocator a = kind.plain().get()) {
            MemorySegment keep = a.allocate(size(kind));
            MemorySegment s = a.allocate(size(kind));
            a.free(s);
            long live = a.metrics().liveAllocations();
            InvalidFreeException e = assertThrows(InvalidFreeException.class, () -> a.free(s));
            assertEquals(InvalidFreeException.Reason.DOUBLE_FREE, e.reason());
            assertEquals(live, a.metrics().liveAllocations());
            // still usable, and the slot is handed out once only
            MemorySegment x = a.allocate(size(kind));
            MemorySegment y = a.allocate(size(kind));
            assertTrue(x.address() != y.address());
            a.free(x);
            a.free(y);
            a.free(keep);
        }
    }

    @ParameterizedTest
    @MethodSource("org.mm4j.alloc.Allocators#freeing")
    void foreignSegmentsAreRefused(Kind<? extends FreeingAllocator> kind) {
        try (FreeingAllocator a = kind.plain().get(); FreeingAllocator other = kind.plain().get();
                Arena arena = Arena.ofConfined()) {
            MemorySegment keep = a.allocate(size(kind));
            InvalidFreeException fromArena = assertThrows(InvalidFreeException.class,
                    () -> a.free(arena.allocate(size(kind))));
            assertEquals(InvalidFreeException.Reason.FOREIGN_SEGMENT, fromArena.reason());
            MemorySegment others = other.allocate(size(kind));
            InvalidFreeException fromOther = assertThrows(InvalidFreeException.class, () -> a.free(others));
            assertEquals(InvalidFreeException.Reason.FOREIGN_SEGMENT, fromOther.reason());
            assertEquals(1, a.metrics().liveAllocations());
            assertEquals(1, other.metrics().liveAllocations());
            other.free(others);
            a.free(keep);
            assertThrows(NullPointerException.class, () -> a.free(null));
        }
    }

    @ParameterizedTest
    @MethodSource("org.mm4j.alloc.Allocators#freeing")
    void slicesAreRefused(Kind<? extends FreeingAllocator> kind) {
        try (FreeingAllocator a = kind.plain().get()) {
            MemorySegment s = a.allocate(size(kind));
            InvalidFreeException inside = assertThrows(InvalidFreeException.class, () -> a.free(s.asSlice(8)));
            assertEquals(InvalidFreeException.Reason.SLICE, inside.reason());
            if (kind.equals(Allocators.LARGE)) {
                InvalidFreeException shorter = assertThrows(InvalidFreeException.class,
                        () -> a.free(s.asSlice(0, 8)));
                assertEquals(InvalidFreeException.Reason.SLICE, shorter.reason());
            }
            assertEquals(1, a.metrics().liveAllocations());
            a.free(s);
            assertEquals(0, a.metrics().liveAllocations());
        }
    }

    @ParameterizedTest
    @MethodSource("org.mm4j.alloc.Allocators#freeing")
    void scrubOnFreeZeroesFreedMemory(Kind<? extends FreeingAllocator> kind) {
        FreeingAllocator a = switch (kind.name()) {
            case "size-classes" -> SizeClassAllocator.builder().scrubOnFree(true).build();
            case "slab-256" -> SlabAllocator.builder(256).scrubOnFree(true).build();
            default -> null; // large blocks are unmapped: the OS zeroes them
        };
        if (a == null) {
            return;
        }
        try (a) {
            MemorySegment s = a.allocate(size(kind));
            s.fill((byte) 0x42);
            MemorySegment view = s; // the same memory, read after the free
            a.free(s);
            for (long i = 0; i < view.byteSize(); i++) {
                assertEquals(0, view.get(ValueLayout.JAVA_BYTE, i), "byte " + i + " lingers after free");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.mm4j.alloc.Allocators#freeing")
    void closeWithLiveMemoryReportsTheLeak(Kind<? extends FreeingAllocator> kind) {
        FreeingAllocator a = kind.plain().get();
        List<MemorySegment> kept = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            kept.add(a.allocate(size(kind)));
        }
        a.free(kept.removeFirst());
        MemoryLeakException e = assertThrows(MemoryLeakException.class, a::close);
        assertEquals(2, e.leakedAllocations());
        assertEquals(2 * size(kind), e.leakedBytes());
        assertTrue(e.getMessage().contains("2 allocations"), e.getMessage());
        if (Boolean.getBoolean("mm4j.debug")) {
            assertFalse(e.allocationSites().isEmpty(), "debug mode names the allocation sites");
            assertTrue(e.allocationSites().getFirst().contains("closeWithLiveMemoryReportsTheLeak"),
                    e.allocationSites().toString());
        }
        // the memory was released nonetheless
        assertThrows(IllegalStateException.class, () -> kept.getFirst().get(ValueLayout.JAVA_BYTE, 0));
    }

    @ParameterizedTest
    @MethodSource("org.mm4j.alloc.Allocators#freeing")
    void freeingEverythingAndTrimmingGivesMemoryBack(Kind<? extends FreeingAllocator> kind) {
        try (FreeingAllocator a = kind.plain().get()) {
            List<MemorySegment> live = new ArrayList<>();
            int n = kind.equals(Allocators.LARGE) ? 50 : 50_000;
            for (int i = 0; i < n; i++) {
                live.add(a.allocate(size(kind)));
            }
            assertTrue(a.metrics().committedBytes() >= n * size(kind));
            for (MemorySegment s : live) {
                a.free(s);
            }
            a.trim();
            assertEquals(0, a.metrics().committedBytes(), "every empty page is given back by trim");
            assertEquals(0, a.metrics().reservedBytes(), "every empty chunk is unmapped by trim");
        }
    }
}
