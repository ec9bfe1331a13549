package org.mm4j.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mm4j.internal.alloc.SizeClassAllocatorImpl;

/** {@link SizeClassAllocator#allocateAddress} and {@link SizeClassAllocator#freeAddress}. */
class AddressAllocationTest {
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private static SizeClassAllocator newAllocator() {
        return SizeClassAllocator.builder().build();
    }

    private static void verify(SizeClassAllocator a) {
        ((SizeClassAllocatorImpl) a).verify();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 8, 16, 100, 4096, 200_000, 262_145, 1 << 20, 2 << 20, (2 << 20) + 1, 5 << 20})
    void blocksOfEverySizeAreWritableAlignedAndFreed(long size) {
        try (SizeClassAllocator a = newAllocator()) {
            long address = a.allocateAddress(size);
            assertEquals(0, address & 7, "aligned to 8");
            ALL.set(ValueLayout.JAVA_BYTE, address, (byte) 1);
            ALL.set(ValueLayout.JAVA_BYTE, address + size - 1, (byte) 2);
            assertEquals(1, a.metrics().liveAllocations());
            assertTrue(a.metrics().requestedBytes() >= size, "the whole slot counts as requested");
            a.freeAddress(address);
            assertEquals(0, a.metrics().liveAllocations());
            assertEquals(0, a.metrics().requestedBytes());
            verify(a);
        }
    }

    @Test
    void freedSlotIsReusedAndSegmentsAndAddressesMix() {
        try (SizeClassAllocator a = newAllocator()) {
            long address = a.allocateAddress(48);
            a.freeAddress(address);
            MemorySegment s = a.allocate(48);
            assertEquals(address, s.address(), "the freed slot is handed out again, to either API");
            a.free(s);
            assertEquals(address, a.allocateAddress(48));
            a.freeAddress(address);
            verify(a);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {64, 300_000, 3 << 20})
    void doubleFreeThrowsBeforeAnyChange(long size) {
        try (SizeClassAllocator a = newAllocator()) {
            long keep = a.allocateAddress(size);
            long address = a.allocateAddress(size);
            a.freeAddress(address);
            InvalidFreeException e = assertThrows(InvalidFreeException.class, () -> a.freeAddress(address));
            assertTrue(e.getMessage().contains(Long.toHexString(address)), e.getMessage());
            assertEquals(1, a.metrics().liveAllocations());
            long x = a.allocateAddress(size);
            long y = a.allocateAddress(size);
            assertTrue(x != y && x != keep && y != keep, "each block handed out once");
            a.freeAddress(x);
            a.freeAddress(y);
            a.freeAddress(keep);
            verify(a);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {64, 300_000, 3 << 20})
    void addressesInsideBlocksAreSlices(long size) {
        try (SizeClassAllocator a = newAllocator()) {
            long address = a.allocateAddress(size);
            InvalidFreeException e = assertThrows(InvalidFreeException.class, () -> a.freeAddress(address + 8));
            assertEquals(InvalidFreeException.Reason.SLICE, e.reason());
            assertEquals(1, a.metrics().liveAllocations());
            a.freeAddress(address);
        }
    }

    @Test
    void foreignAddressesAreRefused() {
        try (SizeClassAllocator a = newAllocator(); SizeClassAllocator other = newAllocator()) {
            long others = other.allocateAddress(64);
            InvalidFreeException fromOther = assertThrows(InvalidFreeException.class, () -> a.freeAddress(others));
            assertEquals(InvalidFreeException.Reason.FOREIGN_SEGMENT, fromOther.reason());
            InvalidFreeException nowhere = assertThrows(InvalidFreeException.class, () -> a.freeAddress(8));
            assertEquals(InvalidFreeException.Reason.FOREIGN_SEGMENT, nowhere.reason());
            assertEquals(1, other.metrics().liveAllocations());
            other.freeAddress(others);
        }
    }

    @Test
    void badSizesAndClosedAllocatorThrow() {
        SizeClassAllocator a = newAllocator();
        assertThrows(IllegalArgumentException.class, () -> a.allocateAddress(0));
        assertThrows(IllegalArgumentException.class, () -> a.allocateAddress(-5));
        long address = a.allocateAddress(32);
        MemoryLeakException leak = assertThrows(MemoryLeakException.class, a::close);
        assertEquals(1, leak.leakedAllocations());
        assertThrows(IllegalStateException.class, () -> a.allocateAddress(32));
        assertThrows(IllegalStateException.class, () -> a.freeAddress(address));
    }

    static LongStream seeds() {
        return Seeds.seeds(2);
    }

    /** Blocks allocated on one thread and freed by address on another return to their owner. */
    @ParameterizedTest
    @MethodSource("seeds")
    void crossThreadFreesByAddress(long seed) throws Exception {
        Seeds.withSeed(seed, () -> {
            try (SizeClassAllocator a = newAllocator(); ExecutorService other = Executors.newSingleThreadExecutor()) {
                SplittableRandom random = new SplittableRandom(seed);
                Map<Long, Long> live = new HashMap<>();
                for (int round = 0; round < 20; round++) {
                    for (int i = 0; i < 500; i++) {
                        long size = 1 + random.nextInt(random.nextBoolean() ? 512 : 70_000);
                        long address = a.allocateAddress(size);
                        ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, address, address ^ seed);
                        assertEquals(null, live.put(address, size), "an address handed out twice");
                    }
                    List<Long> toFree = new ArrayList<>();
                    for (Long address : live.keySet()) {
                        if (random.nextInt(3) != 0) {
                            toFree.add(address);
                        }
                    }
                    Future<?> done = other.submit(() -> {
                        for (long address : toFree) {
                            assertEquals(address ^ seed, ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, address),
                                    "contents intact");
                            a.freeAddress(address);
                        }
                    });
                    done.get();
                    toFree.forEach(live::remove);
                    assertEquals(live.size(), a.metrics().liveAllocations());
                    verify(a);
                }
                for (long address : live.keySet()) {
                    a.freeAddress(address);
                }
                assertEquals(0, a.metrics().liveAllocations());
                verify(a);
            }
        });
    }
}
