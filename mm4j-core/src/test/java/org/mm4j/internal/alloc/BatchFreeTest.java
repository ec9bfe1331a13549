package org.mm4j.internal.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
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
    void aBatchFreesBlocksOfEveryClassAndLargeOnesAsSingleFreesWouldAndCountsTheirBytes() {
        for (long seed : Seeds.seeds(2).toArray()) {
            freeInTwoBatches(seed);
        }
    }

    private static void freeInTwoBatches(long seed) {
        Random random = new Random(seed);
        try (SizeClassAllocatorImpl a = sharedHeapAllocator()) {
            long[] blocks = new long[20_000];
            Map<Long, Long> requested = new HashMap<>();
            for (int i = 0; i < blocks.length; i++) {
                long size = i % 997 == 0 ? 3L << 20 // above the classes
                        : i % 499 == 0 ? (300 << 10) + random.nextInt(1 << 20) // medium
                        : 8 + random.nextInt(2000);
                blocks[i] = a.allocateAddress(size);
                requested.put(blocks[i], size);
            }
            long[] shuffled = blocks.clone();
            for (int i = shuffled.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                long t = shuffled[i];
                shuffled[i] = shuffled[j];
                shuffled[j] = t;
            }
            int half = shuffled.length / 2;
            long[] sizes = new long[blocks.length];
            long firstBytes = 0;
            for (int i = 0; i < shuffled.length; i++) {
                sizes[i] = a.blockBytes(requested.get(shuffled[i]));
                firstBytes += i < half ? sizes[i] : 0;
            }
            long allocated = a.metrics().allocatedBytes();
            // its own budget: what it counts committed is all the budget pays
            assertEquals(a.metrics().committedBytes(), a.ownCommittedBytes(), "seed " + seed);
            assertEquals(firstBytes, a.freeAddresses(shuffled, half), "the blocks' bytes, seed " + seed);
            assertEquals(allocated - firstBytes, a.metrics().allocatedBytes(), "seed " + seed);
            assertEquals(shuffled.length - half, a.metrics().liveAllocations(), "seed " + seed);
            a.verify();
            long[] rest = Arrays.copyOfRange(shuffled, half, shuffled.length);
            assertEquals(allocated - firstBytes, a.freeAddresses(rest, rest.length), "seed " + seed);
            assertEquals(0, a.metrics().liveAllocations(), "seed " + seed);
            assertEquals(0, a.metrics().allocatedBytes(), "seed " + seed);
            assertEquals(a.metrics().committedBytes(), a.ownCommittedBytes(), "seed " + seed);
            a.trim();
            assertEquals(0, a.ownCommittedBytes(), "seed " + seed);
            assertEquals(0, a.metrics().committedBytes(), "seed " + seed);
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
