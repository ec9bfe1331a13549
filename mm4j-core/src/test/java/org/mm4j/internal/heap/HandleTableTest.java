package org.mm4j.internal.heap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mm4j.alloc.Seeds;
import org.mm4j.heap.HandleSpaceExhaustedException;
import org.mm4j.heap.StaleHandleException;
import org.mm4j.internal.os.NativeMemory;
import org.mm4j.os.MemoryBudget;
import org.mm4j.os.MemoryLimitExceededException;

class HandleTableTest {
    private static final long BLOCK_BYTES = HandleTable.BLOCK_BYTES;
    private static final int BLOCK = HandleTable.ENTRIES_PER_BLOCK;

    private static HandleTable table(int maxIds, int reuseDelay) {
        return new HandleTable("test", maxIds, reuseDelay, MemoryBudget.unlimited("test"));
    }

    private static int reserveOne(HandleTable t) {
        int[] into = new int[1];
        assertEquals(1, t.reserve(into, 1));
        return into[0];
    }

    /** Reserves one id and activates it at {@code address}; returns the handle. */
    private static long allocate(HandleTable t, long address) {
        return t.activate(reserveOne(t), address);
    }

    /** Reserves exactly {@code count} ids, in as many calls as it takes. */
    private static int[] reserveAll(HandleTable t, int count) {
        int[] ids = new int[count];
        int[] batch = new int[4096];
        int n = 0;
        while (n < count) {
            int got = t.reserve(batch, Math.min(batch.length, count - n));
            System.arraycopy(batch, 0, ids, n, got);
            n += got;
        }
        return ids;
    }

    private static void assertStale(HandleTable t, long handle, String... parts) {
        StaleHandleException e = assertThrows(StaleHandleException.class, () -> t.address(handle));
        assertEquals(handle, e.handle());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
        }
        assertFalse(t.isLive(handle));
    }

    // ---------------------------------------------------------------- handles and the basic life cycle

    @Test
    void handlesEncodeIdAndGeneration() {
        long h = HandleTable.handle(7, 3);
        assertEquals(0x0000_0003_0000_0007L, h);
        assertEquals(7, HandleTable.idOf(h));
        assertEquals(3, HandleTable.generationOf(h));
        long top = HandleTable.handle(Integer.MAX_VALUE, HandleTable.LAST_GENERATION);
        assertEquals(0xFFFF_FFFF_7FFF_FFFFL, top);
        assertEquals(Integer.MAX_VALUE, HandleTable.idOf(top));
        assertEquals(0xFFFF_FFFFL, Integer.toUnsignedLong(HandleTable.generationOf(top)));
        try (HandleTable t = table(100, 0)) {
            long first = allocate(t, 0x1000);
            assertNotEquals(0, first, "a valid handle is never the null handle");
            assertEquals(1, HandleTable.idOf(first), "id 0 is never handed out");
            assertEquals(1, HandleTable.generationOf(first), "generations start at 1");
            assertEquals(first, t.handleOf(1));
        }
    }

    @Test
    void activateMoveAndFree() {
        try (HandleTable t = table(100, 0)) {
            int id = reserveOne(t);
            assertFalse(t.isLive(id), "reserved is not live");
            assertEquals(0, t.liveCount());
            long h = t.activate(id, 0xA000);
            assertTrue(t.isLive(id));
            assertTrue(t.isLive(h));
            assertEquals(0xA000, t.address(h));
            assertEquals(0xA000, t.addressOf(id));
            assertEquals(1, t.liveCount());
            t.setAddress(id, 0xB000);
            assertEquals(0xB000, t.address(h), "a move keeps the handle valid");
            t.free(id);
            assertFalse(t.isLive(id));
            assertEquals(0, t.liveCount());
            assertStale(t, h, "id 1 ", "handle generation 1,", "current generation 2", "freed", "'test'");

            int again = reserveOne(t);
            assertEquals(id, again, "with no reuse delay the id comes straight back");
            assertStale(t, h, "reserved", "current generation 2");
            long h2 = t.activate(again, 0xC000);
            assertEquals(2, HandleTable.generationOf(h2));
            assertEquals(0xC000, t.address(h2));
            assertStale(t, h, "id 1 ", "handle generation 1,", "current generation 2", "reused");
        }
    }

    @Test
    void nullAndForeignHandlesAreRejected() {
        try (HandleTable t = table(100, 0)) {
            NullPointerException npe = assertThrows(NullPointerException.class, () -> t.address(0));
            assertEquals("null handle", npe.getMessage());
            assertStale(t, HandleTable.handle(1, 1), "never handed out"); // no block mapped yet
            allocate(t, 0x10);
            assertThrows(NullPointerException.class, () -> t.address(0));
            assertStale(t, HandleTable.handle(0, 1), "id 0 was never handed out");
            assertStale(t, HandleTable.handle(2, 1), "id 2 was never handed out", "1 to 1");
            assertStale(t, HandleTable.handle(99, 1), "id 99 was never handed out");
            assertStale(t, HandleTable.handle(1 << 20, 1), "never handed out"); // beyond every block
            assertStale(t, HandleTable.handle(-5, 1), "id " + Integer.toUnsignedString(-5) + " was never");
            assertStale(t, HandleTable.handle(1, 2), "reused", "handle generation 2,", "current generation 1");
            assertFalse(t.isLive(0L));
            assertFalse(t.isLive(0));
            assertFalse(t.isLive(-1));
            assertFalse(t.isLive(Integer.MAX_VALUE));
        }
    }

    @Test
    void misuseThrowsBeforeAnyChange() {
        try (HandleTable t = table(100, 0)) {
            int[] into = new int[4];
            assertThrows(IllegalArgumentException.class, () -> t.reserve(into, 0));
            assertThrows(IllegalArgumentException.class, () -> t.reserve(into, 5));
            assertEquals(1, t.idLimit());

            int reserved = reserveOne(t);
            long h = allocate(t, 0x20);
            int live = HandleTable.idOf(h);
            assertThrows(IllegalStateException.class, () -> t.free(reserved), "free of a reserved id");
            assertThrows(IllegalStateException.class, () -> t.handleOf(reserved));
            IllegalStateException twice = assertThrows(IllegalStateException.class, () -> t.activate(live, 0x30));
            assertTrue(twice.getMessage().contains("the id is live, not reserved"), twice.getMessage());
            assertThrows(IllegalStateException.class, () -> t.unreserve(live));
            assertEquals(0x20, t.address(h), "a refused activate changes nothing");

            IllegalArgumentException never = assertThrows(IllegalArgumentException.class, () -> t.activate(50, 1));
            assertTrue(never.getMessage().contains("id 50 of heap 'test' was never handed out"), never.getMessage());
            assertThrows(IllegalArgumentException.class, () -> t.free(50));
            assertThrows(IllegalArgumentException.class, () -> t.free(0));
            assertThrows(IllegalArgumentException.class, () -> t.free(1 << 20));
            assertThrows(IllegalArgumentException.class, () -> t.unreserve(-1));
            assertThrows(IllegalArgumentException.class, () -> t.handleOf(1 << 20));
            assertThrows(IllegalArgumentException.class, () -> t.addressOf(1 << 20));

            t.free(live);
            IllegalStateException doubleFree = assertThrows(IllegalStateException.class, () -> t.free(live));
            assertTrue(doubleFree.getMessage().contains("free of id " + live), doubleFree.getMessage());
            assertTrue(doubleFree.getMessage().contains("the id is free, not live"), doubleFree.getMessage());
            assertThrows(IllegalStateException.class, () -> t.handleOf(live));
            assertEquals(0, t.liveCount());
            assertEquals(1, t.queuedCount(), "the refused second free did not queue the id again");
        }
    }

    @Test
    void userFlagsAreTheHeapsSixteenBits() {
        try (HandleTable t = table(100, 0)) {
            int id = reserveOne(t);
            assertEquals(0, t.userFlags(id));
            t.setUserFlags(id, 0xFFFF);
            assertFalse(t.isLive(id), "user flags do not touch the state bits");
            long h = t.activate(id, 0x40);
            assertEquals(0xFFFF, t.userFlags(id), "kept through activate");
            assertTrue(t.isLive(h));
            t.setUserFlags(id, 0x1234);
            assertEquals(0x1234, t.userFlags(id));
            assertEquals(0x40, t.address(h));
            assertThrows(IllegalArgumentException.class, () -> t.setUserFlags(id, 0x10000));
            assertThrows(IllegalArgumentException.class, () -> t.setUserFlags(id, -1));
            assertEquals(0x1234, t.userFlags(id));
            t.free(id);
            assertEquals(id, reserveOne(t));
            assertEquals(0, t.userFlags(id), "a reused id starts with no user flags");
        }
    }

    // ---------------------------------------------------------------- reuse

    @ParameterizedTest(name = "reuseDelay {0}")
    @ValueSource(ints = {0, 1, 3, 10})
    void anIdComesBackOnlyAfterReuseDelayOtherFrees(int delay) {
        try (HandleTable t = table(1000, delay)) {
            int[] ids = reserveAll(t, delay + 2);
            for (int id : ids) {
                t.activate(id, id * 16L);
            }
            int first = ids[0];
            t.free(first);
            for (int other = 1; other <= delay; other++) {
                int fresh = t.idLimit();
                assertEquals(fresh, reserveOne(t), "after " + (other - 1) + " other frees the id still waits");
                t.activate(fresh, 0);
                t.free(ids[other]);
            }
            assertEquals(delay + 1, t.queuedCount());
            assertEquals(first, reserveOne(t), "after " + delay + " other frees the id comes back");
            int fresh = t.idLimit();
            assertEquals(fresh, reserveOne(t), "the next freed id waits again");
            t.activate(fresh, 0);
            t.free(ids[delay + 1]);
            assertEquals(ids[1], reserveOne(t), "oldest first");
        }
    }

    @Test
    void givenBackIdsAreReusedAtOnceAndBeforeFreedOnes() {
        try (HandleTable t = table(100, 0)) {
            int[] ids = reserveAll(t, 4);
            t.activate(ids[0], 1);
            t.free(ids[0]);
            t.unreserve(ids[1]);
            t.unreserve(ids[2]);
            assertFalse(t.isLive(ids[1]));
            assertThrows(IllegalStateException.class, () -> t.unreserve(ids[1]), "twice");
            assertThrows(IllegalStateException.class, () -> t.activate(ids[1], 1), "after giving it back");
            int[] into = new int[3];
            assertEquals(3, t.reserve(into, 3));
            assertArrayEquals(new int[] {ids[2], ids[1], ids[0]}, into, "given back first, then the FIFO");
            long h = t.activate(ids[1], 8);
            assertEquals(1, HandleTable.generationOf(h), "a given-back id keeps its generation");
            assertEquals(5, t.idLimit());
        }
    }

    @Test
    void anIdWhoseGenerationWouldWrapIsRetired() {
        try (HandleTable t = table(100, 0)) {
            long h = allocate(t, 0x50);
            int id = HandleTable.idOf(h);
            t.forceGeneration(id, HandleTable.LAST_GENERATION - 1);
            assertStale(t, h, "handle generation 1,", "current generation 4294967294");
            long h1 = t.handleOf(id);
            assertEquals(0x50, t.address(h1));
            t.free(id);
            assertEquals(0, t.retiredCount());
            assertEquals(id, reserveOne(t));
            long last = t.activate(id, 0x60);
            assertEquals(0xFFFF_FFFFL, Integer.toUnsignedLong(HandleTable.generationOf(last)));
            assertEquals(0x60, t.address(last));
            t.free(id);
            assertEquals(1, t.retiredCount());
            assertEquals(0, t.queuedCount(), "a retired id is not queued");
            assertFalse(t.isLive(id));
            assertStale(t, last, "id " + id + " is retired", "last generation 4294967295",
                    "handle generation 4294967295");
            assertStale(t, h1, "retired");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.free(id));
            assertTrue(e.getMessage().contains("retired"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> t.activate(id, 1));
            for (int i = 0; i < 50; i++) {
                int other = reserveOne(t);
                assertNotEquals(id, other, "a retired id never comes back");
                t.activate(other, 0);
                t.free(other);
            }
            assertThrows(IllegalArgumentException.class, () -> t.forceGeneration(id, 0));
        }
    }

    // ---------------------------------------------------------------- limits

    @Test
    void exhaustionAtMaxIdsChangesNothing() {
        MemoryBudget budget = MemoryBudget.unlimited("b");
        try (HandleTable t = new HandleTable("small", 5, 1, budget)) {
            int[] into = new int[10];
            assertEquals(4, t.reserve(into, 10), "ids 1 to 4");
            assertArrayEquals(new int[] {1, 2, 3, 4}, Arrays.copyOf(into, 4));
            for (int i = 0; i < 4; i++) {
                t.activate(into[i], i);
            }
            HandleSpaceExhaustedException e = assertThrows(HandleSpaceExhaustedException.class, () -> t.reserve(into, 1));
            assertTrue(e.getMessage().contains("heap 'small'"), e.getMessage());
            assertTrue(e.getMessage().contains("maxIds 5"), e.getMessage());
            assertEquals(5, t.idLimit());
            assertEquals(4, t.liveCount());
            long committed = t.committedBytes();
            assertEquals(committed, budget.usedBytes());

            t.free(2);
            assertThrows(HandleSpaceExhaustedException.class, () -> t.reserve(into, 1), "2 waits out the delay");
            assertEquals(1, t.queuedCount(), "the refused reserve took nothing from the FIFO");
            t.free(3);
            assertEquals(1, t.reserve(into, 3), "only 2 is past the delay");
            assertEquals(2, into[0]);
            t.unreserve(2);
            assertEquals(2, reserveOne(t), "given back: free at once");
            assertEquals(committed, t.committedBytes());
        }
        assertEquals(0, budget.usedBytes());
    }

    @Test
    void aTableOfOneEntryHasNoIds() {
        try (HandleTable t = table(1, 0)) {
            assertThrows(HandleSpaceExhaustedException.class, () -> t.reserve(new int[1], 1));
            assertEquals(0, t.committedBytes());
            assertEquals(1, t.idLimit());
        }
    }

    @Test
    void aBudgetRefusalForANewBlockChangesNothing() {
        MemoryBudget budget = MemoryBudget.of("tight", 2 * BLOCK_BYTES);
        budget.reserve(BLOCK_BYTES); // someone else's memory
        try (HandleTable t = new HandleTable("heap", 3 * BLOCK, 0, budget)) {
            reserveAll(t, BLOCK - 4); // ids 1 .. BLOCK - 4
            assertEquals(BLOCK_BYTES, t.committedBytes());
            int[] into = new int[10];
            assertEquals(3, t.reserve(into, 10), "the rest of block 0; block 1 is refused, so a short batch");
            assertEquals(BLOCK, t.idLimit());

            assertThrows(MemoryLimitExceededException.class, () -> t.reserve(into, 1));
            assertEquals(BLOCK, t.idLimit());
            assertEquals(BLOCK_BYTES, t.committedBytes());
            assertEquals(2 * BLOCK_BYTES, budget.usedBytes());

            long h = t.activate(into[0], 0x70);
            t.free(HandleTable.idOf(h));
            assertEquals(into[0], reserveOne(t), "freed ids are still handed out");
            assertThrows(MemoryLimitExceededException.class, () -> t.reserve(into, 1));

            budget.release(BLOCK_BYTES);
            assertEquals(BLOCK, reserveOne(t), "with room again, block 1 is mapped");
            assertEquals(2 * BLOCK_BYTES, t.committedBytes());
            assertEquals(2 * BLOCK_BYTES, budget.usedBytes());
        }
        assertEquals(0, budget.usedBytes());
    }

    @Test
    void blocksAreMappedLazily() {
        MemoryBudget budget = MemoryBudget.unlimited("b");
        try (HandleTable t = new HandleTable("lazy", 16 * BLOCK, 0, budget)) {
            assertEquals(0, t.committedBytes());
            assertEquals(0, budget.usedBytes());
            reserveOne(t);
            assertEquals(BLOCK_BYTES, t.committedBytes());
            reserveAll(t, BLOCK - 2); // up to id BLOCK - 1, the last of block 0
            assertEquals(BLOCK, t.idLimit());
            assertEquals(BLOCK_BYTES, t.committedBytes());
            reserveOne(t);
            assertEquals(2 * BLOCK_BYTES, t.committedBytes());
            int[] big = new int[2 * BLOCK];
            assertEquals(2 * BLOCK, t.reserve(big, big.length), "one batch across two more blocks");
            assertEquals(4 * BLOCK_BYTES, t.committedBytes());
            assertEquals(t.committedBytes(), budget.usedBytes());
        }
        try (HandleTable small = new HandleTable("small", 100, 0, budget)) {
            reserveOne(small);
            assertEquals(Math.max(NativeMemory.PAGE_SIZE, 100 * HandleTable.ENTRY_BYTES), small.committedBytes(),
                    "a small table maps only the pages its entries need");
        }
        assertEquals(0, budget.usedBytes());
    }

    @Test
    void constructorArgumentsAreChecked() {
        MemoryBudget b = MemoryBudget.unlimited("b");
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> new HandleTable("h", 0, 0, b));
        assertTrue(zero.getMessage().contains("maxIds must be in [1, 2147483647]: 0"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new HandleTable("h", -1, 0, b));
        IllegalArgumentException delay = assertThrows(IllegalArgumentException.class, () -> new HandleTable("h", 10, -1, b));
        assertTrue(delay.getMessage().contains("reuseDelay must not be negative: -1"), delay.getMessage());
        assertThrows(NullPointerException.class, () -> new HandleTable(null, 10, 0, b));
        assertThrows(NullPointerException.class, () -> new HandleTable("h", 10, 0, null));
        try (HandleTable largest = new HandleTable("h", Integer.MAX_VALUE, 0, b)) {
            assertEquals(Integer.MAX_VALUE, largest.maxIds());
            assertEquals(1, reserveOne(largest));
            assertEquals(BLOCK_BYTES, largest.committedBytes());
        }
    }

    // ---------------------------------------------------------------- closing

    @Test
    void closeReleasesTheBudgetAndLaterUseThrows() {
        MemoryBudget budget = MemoryBudget.unlimited("b");
        HandleTable t = new HandleTable("closing", 2 * BLOCK, 0, budget);
        reserveAll(t, BLOCK + 10);
        long h = t.activate(3, 0x80);
        assertEquals(2 * BLOCK_BYTES, budget.usedBytes());
        t.close();
        assertEquals(0, budget.usedBytes());
        t.close(); // idempotent
        assertEquals(0, budget.usedBytes());
        List<Executable> uses = List.of(
                () -> t.reserve(new int[1], 1), () -> t.activate(4, 1), () -> t.unreserve(4), () -> t.free(3),
                () -> t.address(h), () -> t.address(0), () -> t.address(HandleTable.handle(1 << 30, 1)),
                () -> t.addressOf(3), () -> t.setAddress(3, 1), () -> t.handleOf(3), () -> t.isLive(3),
                () -> t.isLive(h), () -> t.isLive(-1), () -> t.userFlags(3), () -> t.setUserFlags(3, 1),
                () -> t.idLimit(), () -> t.liveCount(), () -> t.retiredCount(), () -> t.queuedCount(),
                () -> t.committedBytes(), () -> t.forEachLive(id -> {}));
        for (Executable use : uses) {
            IllegalStateException e = assertThrows(IllegalStateException.class, use);
            assertEquals("handle table of heap 'closing' is closed", e.getMessage());
        }
    }

    @Test
    void forEachLiveVisitsLiveIdsInOrder() {
        try (HandleTable t = table(3 * BLOCK, 0)) {
            int[] ids = reserveAll(t, BLOCK + 100);
            Set<Integer> expected = new TreeSet<>();
            for (int id : ids) {
                if (id % 7 != 0) {
                    t.activate(id, id);
                    if (id % 5 == 0) {
                        t.free(id);
                    } else {
                        expected.add(id);
                    }
                }
            }
            List<Integer> seen = new ArrayList<>();
            t.forEachLive(seen::add);
            assertEquals(new ArrayList<>(expected), seen);
            assertEquals(expected.size(), t.liveCount());
        }
    }

    @Test
    void unlinkingABatchCountsItOutOnceAndStopsAtAnIdThatIsNotLive() {
        try (HandleTable t = table(BLOCK, 0)) {
            int[] ids = reserveAll(t, 10);
            long[] handles = new long[ids.length];
            for (int i = 0; i < ids.length; i++) {
                handles[i] = t.activate(ids[i], 1000 + i);
            }
            t.unlinkAll(ids, 3);
            assertEquals(7, t.liveCount());
            for (int i = 0; i < 3; i++) {
                assertFalse(t.isLive(handles[i]), "unlinked: its handles are stale");
            }
            int[] again = {ids[3], ids[4], ids[0], ids[5]};
            assertThrows(IllegalStateException.class, () -> t.unlinkAll(again, again.length));
            assertEquals(5, t.liveCount(), "the two before the unlinked one are unlinked and counted out");
            assertTrue(t.isLive(handles[5]), "the one after it is not touched");
            t.freeUnlinked(new int[] {ids[0], ids[1], ids[2], ids[3], ids[4]}, 5);
            List<Integer> seen = new ArrayList<>();
            t.forEachLive(seen::add);
            assertEquals(List.of(ids[5], ids[6], ids[7], ids[8], ids[9]), seen);
        }
    }

    // ---------------------------------------------------------------- seeded model test

    static LongStream seeds() {
        return Seeds.seeds(6);
    }

    /** The table as java.util collections: which ids each reserve must return, every generation. */
    private static final class Model {
        final int maxIds;
        final int delay;
        final Deque<Integer> fifo = new ArrayDeque<>();
        final Deque<Integer> spares = new ArrayDeque<>();
        final Map<Integer, Integer> generation = new HashMap<>();
        final List<Integer> reserved = new ArrayList<>();
        final TreeMap<Integer, Long> live = new TreeMap<>();
        final List<Long> stale = new ArrayList<>();
        int highWater = 1;
        int retired;

        Model(int maxIds, int delay) {
            this.maxIds = maxIds;
            this.delay = delay;
        }

        List<Integer> expectReserve(int count) {
            List<Integer> ids = new ArrayList<>();
            while (ids.size() < count && !spares.isEmpty()) {
                ids.add(spares.pop());
            }
            while (ids.size() < count && fifo.size() > delay) {
                ids.add(fifo.poll());
            }
            while (ids.size() < count && highWater < maxIds) {
                generation.put(highWater, 1);
                ids.add(highWater++);
            }
            return ids;
        }

        long handle(int id) {
            return HandleTable.handle(id, generation.get(id));
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void randomOperationsAgainstAModel(long seed) {
        Seeds.withSeed(seed, () -> runModel(seed));
    }

    private static void runModel(long seed) {
        Random r = new Random(seed);
        int maxIds = r.nextInt(4) == 0 ? BLOCK + 1 + r.nextInt(300) : 2 + r.nextInt(200);
        int delay = r.nextInt(6);
        MemoryBudget budget = MemoryBudget.unlimited("model");
        Model m = new Model(maxIds, delay);
        int[] into = new int[8];
        try (HandleTable t = new HandleTable("model", maxIds, delay, budget)) {
            if (maxIds > BLOCK) {
                List<Integer> expected = m.expectReserve(BLOCK - 100); // start near the second block
                int[] got = reserveAll(t, expected.size());
                m.reserved.addAll(expected);
                assertArrayEquals(expected.stream().mapToInt(Integer::intValue).toArray(), got);
            }
            for (int step = 0; step < 20_000; step++) {
                int op = r.nextInt(100);
                if (op < 25) {
                    int count = 1 + r.nextInt(into.length);
                    List<Integer> expected = m.expectReserve(count);
                    if (expected.isEmpty()) {
                        int limit = t.idLimit();
                        assertThrows(HandleSpaceExhaustedException.class, () -> t.reserve(into, count));
                        assertEquals(limit, t.idLimit());
                    } else {
                        int n = t.reserve(into, count);
                        List<Integer> got = IntStream.of(into).limit(n).boxed().toList();
                        assertEquals(expected, got, "ids reserved at step " + step);
                        m.reserved.addAll(got);
                    }
                } else if (op < 50 && !m.reserved.isEmpty()) {
                    int id = removeRandom(m.reserved, r);
                    long address = r.nextLong();
                    long h = t.activate(id, address);
                    assertEquals(m.handle(id), h);
                    m.live.put(id, address);
                } else if (op < 55 && !m.reserved.isEmpty()) {
                    int id = removeRandom(m.reserved, r);
                    t.unreserve(id);
                    m.spares.push(id);
                } else if (op < 75 && !m.live.isEmpty()) {
                    int id = randomKey(m.live, r);
                    long old = m.handle(id);
                    t.free(id);
                    m.live.remove(id);
                    m.stale.add(old);
                    int g = m.generation.get(id);
                    if (g == HandleTable.LAST_GENERATION) {
                        m.retired++;
                    } else {
                        m.generation.put(id, g + 1);
                        m.fifo.add(id);
                    }
                } else if (op < 82 && !m.live.isEmpty()) {
                    int id = randomKey(m.live, r);
                    long address = r.nextLong();
                    t.setAddress(id, address);
                    m.live.put(id, address);
                } else if (op < 83 && !m.live.isEmpty()) {
                    // jump a live id close to the wrap; generations only grow, so no stale handle revives
                    int id = randomKey(m.live, r);
                    if (Integer.compareUnsigned(m.generation.get(id), HandleTable.LAST_GENERATION - 1) < 0) {
                        m.stale.add(m.handle(id));
                        m.generation.put(id, HandleTable.LAST_GENERATION - 1);
                        t.forceGeneration(id, HandleTable.LAST_GENERATION - 1);
                    }
                } else if (op < 93 && !m.live.isEmpty()) {
                    int id = randomKey(m.live, r);
                    long h = m.handle(id);
                    assertTrue(t.isLive(h));
                    assertEquals(m.live.get(id), t.address(h), "address of id " + id + " at step " + step);
                    assertEquals(h, t.handleOf(id));
                } else if (!m.stale.isEmpty()) {
                    long h = m.stale.get(r.nextInt(m.stale.size()));
                    assertThrows(StaleHandleException.class, () -> t.address(h), "stale handle at step " + step);
                    assertFalse(t.isLive(h));
                }
                if (step % 500 == 0) {
                    checkCounts(t, m, budget);
                }
            }
            checkCounts(t, m, budget);
            for (long h : m.stale) {
                assertFalse(t.isLive(h));
            }
        }
        assertEquals(0, budget.usedBytes());
    }

    private static void checkCounts(HandleTable t, Model m, MemoryBudget budget) {
        assertEquals(m.highWater, t.idLimit());
        assertEquals(m.live.size(), t.liveCount());
        assertEquals(m.retired, t.retiredCount());
        assertEquals(m.fifo.size(), t.queuedCount());
        assertEquals(t.committedBytes(), budget.usedBytes());
        List<Integer> seen = new ArrayList<>();
        t.forEachLive(seen::add);
        assertEquals(new ArrayList<>(m.live.keySet()), seen);
        for (int id = 0; id < Math.min(m.highWater + 2, 400); id++) {
            assertEquals(m.live.containsKey(id), t.isLive(id), "isLive(" + id + ")");
        }
    }

    private static int removeRandom(List<Integer> list, Random r) {
        int i = r.nextInt(list.size());
        int v = list.get(i);
        list.set(i, list.getLast());
        list.removeLast();
        return v;
    }

    private static int randomKey(NavigableMap<Integer, Long> map, Random r) {
        return map.ceilingKey(r.nextInt(map.lastKey() + 1));
    }

    // ---------------------------------------------------------------- threads

    /**
     * Four threads reserve in batches, activate, give back, free their own objects and objects handed to
     * them by the others. {@code owner[id]} is claimed when an id is reserved and cleared just before it is
     * freed or given back, so an id handed out twice at once fails the claim.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void concurrentReserveActivateAndFree(long seed) throws Exception {
        int threads = 4;
        int maxIds = 2 * BLOCK + 1000;
        MemoryBudget budget = MemoryBudget.unlimited("threads");
        AtomicIntegerArray owner = new AtomicIntegerArray(maxIds);
        List<ConcurrentLinkedQueue<long[]>> inboxes = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            inboxes.add(new ConcurrentLinkedQueue<>());
        }
        AtomicLong activated = new AtomicLong();
        AtomicLong freed = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<List<long[]>> kept = new ArrayList<>();
        try (HandleTable t = new HandleTable("threads", maxIds, 16, budget)) {
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                int me = w;
                List<long[]> mine = new ArrayList<>(); // {handle, address}
                kept.add(mine);
                workers.add(Thread.ofPlatform().name("handles-" + w).start(() -> {
                    try {
                        Random r = new Random(seed + me);
                        int[] batch = new int[64];
                        int have = 0;
                        for (int step = 0; step < 30_000; step++) {
                            if (have == 0) {
                                have = t.reserve(batch, 1 + r.nextInt(batch.length));
                                for (int i = 0; i < have; i++) {
                                    claim(owner, batch[i], -(me + 1));
                                }
                            }
                            int id = batch[--have];
                            if (r.nextInt(10) == 0) {
                                owner.set(id, 0);
                                t.unreserve(id);
                            } else {
                                long address = ((long) me << 48) | step;
                                long h = t.activate(id, address);
                                activated.incrementAndGet();
                                owner.set(id, me + 1);
                                mine.add(new long[] {h, address});
                            }
                            if (mine.size() > 300 || (r.nextInt(2) == 0 && !mine.isEmpty())) {
                                long[] victim = mine.remove(r.nextInt(mine.size()));
                                if (r.nextInt(3) == 0) {
                                    inboxes.get(r.nextInt(threads)).add(victim);
                                } else {
                                    freeChecked(t, owner, victim, freed);
                                }
                            }
                            long[] in;
                            while ((in = inboxes.get(me).poll()) != null) {
                                freeChecked(t, owner, in, freed);
                            }
                        }
                        while (have > 0) {
                            int id = batch[--have];
                            owner.set(id, 0);
                            t.unreserve(id);
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            for (Thread w : workers) {
                w.join();
            }
            if (failure.get() != null) {
                throw new AssertionError("failed with seed " + seed + " (replay with -Dseed=" + seed + ")", failure.get());
            }
            Set<Integer> liveIds = new HashSet<>();
            for (List<long[]> list : kept) {
                for (long[] entry : list) {
                    assertTrue(liveIds.add(HandleTable.idOf(entry[0])), "an id is live twice");
                    assertEquals(entry[1], t.address(entry[0]));
                }
            }
            for (ConcurrentLinkedQueue<long[]> inbox : inboxes) {
                for (long[] entry : inbox) {
                    assertTrue(liveIds.add(HandleTable.idOf(entry[0])), "an id is live twice");
                    assertEquals(entry[1], t.address(entry[0]));
                }
            }
            assertEquals(activated.get() - freed.get(), t.liveCount());
            assertEquals(liveIds.size(), t.liveCount());
            Set<Integer> seen = new HashSet<>();
            t.forEachLive(seen::add);
            assertEquals(liveIds, seen);
            for (int id = 1; id < t.idLimit(); id++) {
                assertEquals(liveIds.contains(id), owner.get(id) > 0, "owner of id " + id);
            }
            assertEquals(0, t.retiredCount());
            assertTrue(t.queuedCount() <= freed.get());
            assertTrue(t.idLimit() - 1 >= liveIds.size() + t.queuedCount());
            assertEquals(t.committedBytes(), budget.usedBytes());
        }
        assertEquals(0, budget.usedBytes());
    }

    private static void claim(AtomicIntegerArray owner, int id, int claimant) {
        int was = owner.get(id);
        if (!owner.compareAndSet(id, 0, claimant)) {
            throw new AssertionError("id " + id + " handed out while held by " + was);
        }
    }

    private static void freeChecked(HandleTable t, AtomicIntegerArray owner, long[] entry, AtomicLong freed) {
        long h = entry[0];
        int id = HandleTable.idOf(h);
        assertEquals(entry[1], t.address(h), "address of a live object");
        owner.set(id, 0);
        t.free(id);
        freed.incrementAndGet();
        assertFalse(t.isLive(h), "a freed handle is stale for ever");
    }
}
