package org.mm4j.internal.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mm4j.alloc.InvalidFreeException;
import org.mm4j.alloc.Seeds;
import org.mm4j.alloc.SizeClassAllocator;

/**
 * {@link PagedAllocator#freeAddresses}: what a collector's sweep uses to give many blocks back to an
 * allocator whose threads share one heap.
 */
class BatchFreeTest {
    private static SizeClassAllocatorImpl sharedHeapAllocator() {
        SizeClassAllocatorImpl a = (SizeClassAllocatorImpl) SizeClassAllocator.builder().name("batch").build();
        a.useOneHeap();
        return a;
    }

    @Test
    void aBatchFreesBlocksOfEveryClassAndLargeOnesAsSingleFreesWould() {
        for (long seed : Seeds.seeds(2).toArray()) {
            freeInTwoBatches(seed);
        }
    }

    private static void freeInTwoBatches(long seed) {
        Random random = new Random(seed);
        try (SizeClassAllocatorImpl a = sharedHeapAllocator()) {
            long[] blocks = new long[20_000];
            for (int i = 0; i < blocks.length; i++) {
                long size = i % 997 == 0 ? 3L << 20 : 8 + random.nextInt(2000); // some above the classes
                blocks[i] = a.allocateAddress(size);
            }
            long[] shuffled = blocks.clone();
            for (int i = shuffled.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                long t = shuffled[i];
                shuffled[i] = shuffled[j];
                shuffled[j] = t;
            }
            int half = shuffled.length / 2;
            a.freeAddresses(shuffled, half);
            assertEquals(shuffled.length - half, a.metrics().liveAllocations(), "seed " + seed);
            a.verify();
            long[] rest = Arrays.copyOfRange(shuffled, half, shuffled.length);
            a.freeAddresses(rest, rest.length);
            assertEquals(0, a.metrics().liveAllocations(), "seed " + seed);
            a.verify();
            assertThrows(InvalidFreeException.class, () -> a.freeAddress(rest[0]), "freed: a double free");
        }
    }

    @Test
    void anInvalidAddressStopsTheBatchWithTheBlocksAfterItUntouched() {
        try (SizeClassAllocatorImpl a = sharedHeapAllocator()) {
            long first = a.allocateAddress(48);
            long second = a.allocateAddress(48);
            long third = a.allocateAddress(48);
            a.freeAddress(second);
            InvalidFreeException e = assertThrows(InvalidFreeException.class,
                    () -> a.freeAddresses(new long[] {first, second, third}, 3));
            assertEquals(InvalidFreeException.Reason.DOUBLE_FREE, e.reason());
            assertEquals(1, a.metrics().liveAllocations(), "the first was freed, the third not");
            a.verify();
            a.freeAddresses(new long[] {third, 0}, 1); // only the count given
            assertEquals(0, a.metrics().liveAllocations());
            assertThrows(IndexOutOfBoundsException.class, () -> a.freeAddresses(new long[1], 2));
            assertTrue(a.metrics().liveAllocations() == 0);
        }
    }
}
