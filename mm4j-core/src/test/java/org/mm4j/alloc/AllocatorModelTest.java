package org.mm4j.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random sequences of allocate / write / free / reset against a reference model of live ranges:
 * no two live blocks overlap, alignment holds, what was written reads back intact, and every byte is
 * accounted for after frees.
 */
class AllocatorModelTest {
    private static final int STEPS = 20_000;

    static LongStream seeds() {
        return Seeds.seeds(4);
    }

    /** A live block of the model: its segment, the byte written over it, its alignment. */
    private record Block(MemorySegment segment, byte fill, long alignment) {}

    private static final class Model {
        final TreeMap<Long, Block> byAddress = new TreeMap<>();
        final List<Block> live = new ArrayList<>();
        long requested;

        void add(Block b) {
            long start = b.segment().address();
            long end = start + b.segment().byteSize();
            Map.Entry<Long, Block> below = byAddress.floorEntry(start);
            if (below != null) {
                long belowEnd = below.getKey() + below.getValue().segment().byteSize();
                assertTrue(belowEnd <= start, "new block overlaps a live block below it");
            }
            Map.Entry<Long, Block> above = byAddress.ceilingEntry(start);
            if (above != null) {
                assertTrue(end <= above.getKey(), "new block overlaps a live block above it");
            }
            assertEquals(0, start % b.alignment(), "alignment " + b.alignment());
            byAddress.put(start, b);
            live.add(b);
            requested += b.segment().byteSize();
        }

        Block removeAt(int i) {
            Block b = live.get(i);
            live.set(i, live.getLast());
            live.removeLast();
            byAddress.remove(b.segment().address());
            requested -= b.segment().byteSize();
            return b;
        }

        void verifyContents(Random random, int samples) {
            for (int k = 0; k < Math.min(samples, live.size()); k++) {
                verify(live.get(random.nextInt(live.size())));
            }
        }
    }

    private static void verify(Block b) {
        MemorySegment s = b.segment();
        long[] offsets = {0, s.byteSize() / 2, s.byteSize() - 1};
        for (long off : offsets) {
            assertEquals(b.fill(), s.get(ValueLayout.JAVA_BYTE, off), "content at offset " + off);
        }
    }

    private static long randomSize(Random r, long max) {
        long size = switch (r.nextInt(10)) {
            case 0, 1, 2, 3, 4 -> 1 + r.nextInt(128);
            case 5, 6, 7 -> 1 + r.nextInt(4096);
            case 8 -> 1 + r.nextInt(300_000);
            default -> 1 + r.nextInt(1 << 20);
        };
        return Math.min(size, max);
    }

    private static long randomAlignment(Random r) {
        return r.nextInt(4) == 0 ? 1L << r.nextInt(13) : 8;
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void sizeClassAllocatorAgainstModel(long seed) {
        Seeds.withSeed(seed, () -> runFreeing(seed, SizeClassAllocator.builder().name("model").build(), 2 << 20));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void slabAgainstModel(long seed) {
        Seeds.withSeed(seed, () -> runFreeing(seed, SlabAllocator.builder(72).build(), 72));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void scrubbingSizeClassAllocatorAgainstModel(long seed) {
        Seeds.withSeed(seed, () -> runFreeing(seed,
                SizeClassAllocator.builder().scrubOnFree(true).zeroOnAllocate(true).purgeDelay(java.time.Duration.ZERO).build(),
                64 << 10));
    }

    private static void runFreeing(long seed, FreeingAllocator a, long maxSize) {
        Random r = new Random(seed);
        Model model = new Model();
        try (a) {
            for (int step = 0; step < STEPS; step++) {
                int op = r.nextInt(100);
                if (op < 55 || model.live.isEmpty()) {
                    long size = randomSize(r, maxSize);
                    long alignment = a instanceof SlabAllocator ? 8 : randomAlignment(r);
                    MemorySegment s = a.allocate(size, alignment);
                    assertEquals(size, s.byteSize());
                    byte fill = (byte) r.nextInt();
                    s.fill(fill);
                    model.add(new Block(s, fill, alignment));
                } else if (op < 95) {
                    Block b = model.removeAt(r.nextInt(model.live.size()));
                    verify(b);
                    a.free(b.segment());
                } else if (op < 97) {
                    a.trim();
                } else {
                    model.verifyContents(r, 50);
                }
                if (step % 1000 == 0) {
                    ((org.mm4j.internal.alloc.PagedAllocator) a).verify();
                    assertEquals(model.live.size(), a.metrics().liveAllocations(), "live count at step " + step);
                    assertEquals(model.requested, a.metrics().requestedBytes(), "requested bytes at step " + step);
                    assertTrue(a.metrics().allocatedBytes() >= model.requested);
                }
            }
            for (Block b : model.live) {
                verify(b);
            }
            while (!model.live.isEmpty()) {
                a.free(model.removeAt(r.nextInt(model.live.size())).segment());
            }
            assertEquals(0, a.metrics().liveAllocations());
            assertEquals(0, a.metrics().requestedBytes(), "every byte is accounted for after the frees");
            assertEquals(0, a.metrics().allocatedBytes());
            ((org.mm4j.internal.alloc.PagedAllocator) a).verify();
            a.trim();
            ((org.mm4j.internal.alloc.PagedAllocator) a).verify();
            assertEquals(0, a.metrics().committedBytes());
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void bumpArenaAgainstModel(long seed) {
        Seeds.withSeed(seed, () -> {
            Random r = new Random(seed);
            Model model = new Model();
            Deque<BumpArena.Mark> marks = new ArrayDeque<>();
            Deque<Integer> liveAtMark = new ArrayDeque<>();
            Deque<Long> requestedAtMark = new ArrayDeque<>();
            try (BumpArena a = BumpArena.builder().initialBlockBytes(4096).maxBlockBytes(256 << 10).build()) {
                for (int step = 0; step < STEPS; step++) {
                    int op = r.nextInt(100);
                    if (op < 80) {
                        long size = randomSize(r, 64 << 10);
                        long alignment = randomAlignment(r);
                        MemorySegment s = a.allocate(size, alignment);
                        byte fill = (byte) r.nextInt();
                        s.fill(fill);
                        // an arena's blocks are appended in order: overlap is checked against the model
                        model.add(new Block(s, fill, alignment));
                    } else if (op < 88) {
                        marks.push(a.mark());
                        liveAtMark.push(model.live.size());
                        requestedAtMark.push(model.requested);
                    } else if (op < 97 && !marks.isEmpty()) {
                        // reset to a random mark on the stack; the ones above it are invalidated
                        int depth = r.nextInt(marks.size());
                        List<BumpArena.Mark> dropped = new ArrayList<>();
                        for (int i = 0; i < depth; i++) {
                            dropped.add(marks.pop());
                            liveAtMark.pop();
                            requestedAtMark.pop();
                        }
                        a.reset(marks.peek());
                        dropped.add(marks.pop()); // a reset pops its own mark too
                        truncate(model, liveAtMark.pop());
                        assertEquals(requestedAtMark.pop(), model.requested);
                        for (BumpArena.Mark m : dropped) {
                            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                                    () -> a.reset(m), "a popped mark cannot be reset to");
                        }
                    } else if (op < 98) {
                        a.resetAll();
                        marks.clear();
                        liveAtMark.clear();
                        requestedAtMark.clear();
                        truncate(model, 0);
                    } else {
                        model.verifyContents(r, 50);
                    }
                    assertEquals(model.live.size(), a.metrics().liveAllocations(), "live at step " + step);
                    assertEquals(model.requested, a.metrics().requestedBytes(), "requested at step " + step);
                }
                for (Block b : model.live) {
                    verify(b);
                }
            }
        });
    }

    /** Drops the newest blocks of the model down to {@code keep}, in allocation order. */
    private static void truncate(Model model, int keep) {
        while (model.live.size() > keep) {
            Block b = model.live.removeLast();
            model.byAddress.remove(b.segment().address());
            model.requested -= b.segment().byteSize();
        }
    }
}
