package org.mm4j.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mm4j.alloc.Seeds;

/**
 * Random sequences of allocate / store reference / store primitive / drop root / collect, checked
 * against an on-heap model of the object graph: after every collection each reachable object is intact
 * with its exact field values, after every major collection each unreachable object is gone (its handle
 * stale) and the heap counts exactly the reachable objects, and the heap verifies.
 */
class HeapModelTest {
    static final Type NODE = Type.struct("ModelNode").longField("value").intField("tag").refField("left")
            .refField("right").bytesField("code", 3).build();
    static final LongField VALUE = NODE.longField("value");
    static final IntField TAG = NODE.intField("tag");
    static final RefField LEFT = NODE.refField("left");
    static final RefField RIGHT = NODE.refField("right");
    static final BytesField CODE = NODE.bytesField("code");
    static final Type REFS = Type.arrayOf("ModelRefs", Kind.REF);
    static final Type LONGS = Type.arrayOf("ModelLongs", Kind.LONG);

    static LongStream seeds() {
        return Seeds.seeds(4);
    }

    /** The model of one object: its handle, its primitive values and the handles it refers to. */
    static final class Obj {
        final long handle;
        final Type type;
        final long[] prims;
        final long[] refs;
        byte[] code = new byte[3];

        Obj(long handle, Type type, int prims, int refs) {
            this.handle = handle;
            this.type = type;
            this.prims = new long[prims];
            this.refs = new long[refs];
        }
    }

    /** One randomized run; shared with the multi-threaded test, where each thread has its own graph. */
    static final class Run {
        final Heap heap;
        final SplittableRandom random;
        final Map<Long, Obj> objects = new HashMap<>();
        final List<GlobalHandle> roots = new ArrayList<>();
        final List<Long> rootTargets = new ArrayList<>();
        final List<Long> handles = new ArrayList<>();
        /**
         * Objects that were unreachable at some point and must be freed by a later one, unless used again
         * (a handle that no root holds may still make its object a root: {@link #pick} drops it from here).
         */
        final List<Set<Long>> watched = new ArrayList<>();
        int majors;

        Run(Heap heap, long seed) {
            this.heap = heap;
            this.random = new SplittableRandom(seed);
        }

        void step(boolean mayCollect) {
            try (HandleScope scope = heap.openHandleScope()) {
                int op = random.nextInt(100);
                if (op < 35 || handles.isEmpty()) {
                    allocate();
                } else if (op < 60) {
                    storeReference();
                } else if (op < 75) {
                    storePrimitive();
                } else if (op < 85) {
                    dropRoot();
                } else if (op < 97 || !mayCollect) {
                    readAndCheckOne();
                } else {
                    collect(random.nextInt(3) == 0 ? GarbageCollector.OLD : GarbageCollector.YOUNG);
                }
            }
        }

        private Obj pick() {
            while (!handles.isEmpty()) {
                long h = handles.get(random.nextInt(handles.size()));
                Obj o = objects.get(h);
                if (o != null) {
                    try {
                        heap.newLocal(h); // rooted for the rest of the step, whatever other threads collect
                        touch(h);
                        return o;
                    } catch (StaleHandleException e) {
                        assertFalse(reachable().contains(h), "reachable object #" + Heap.idOf(h) + " was freed: "
                                + e.getMessage());
                    }
                }
                handles.remove(h);
            }
            return null;
        }

        @SuppressWarnings("MustBeClosedChecker") // roots are closed by dropRoot and finish
        void allocate() {
            int kind = random.nextInt(10);
            Obj o;
            if (kind < 6) {
                long h = heap.allocate(NODE);
                o = new Obj(h, NODE, 2, 2);
                o.prims[0] = random.nextLong();
                o.prims[1] = random.nextInt();
                heap.set(h, VALUE, o.prims[0]);
                heap.set(h, TAG, (int) o.prims[1]);
                random.nextBytes(o.code);
                heap.set(h, CODE, o.code);
            } else if (kind < 9) {
                int length = random.nextInt(5);
                long h = heap.allocateArray(REFS, length);
                o = new Obj(h, REFS, 0, length);
            } else {
                int length = random.nextInt(random.nextBoolean() ? 4 : 1200); // sometimes past the nursery limit
                long h = heap.allocateArray(LONGS, length);
                o = new Obj(h, LONGS, length, 0);
                for (int i = 0; i < length; i++) {
                    o.prims[i] = random.nextLong();
                    heap.setLong(h, i, o.prims[i]);
                }
            }
            objects.put(o.handle, o);
            handles.add(o.handle);
            int fate = random.nextInt(3);
            if (fate == 0) {
                roots.add(heap.newGlobal(o.handle));
                rootTargets.add(o.handle);
            } else if (fate == 1) {
                Obj holder = pick();
                if (holder != null && holder != o && holder.refs.length > 0) {
                    link(holder, random.nextInt(holder.refs.length), o);
                }
            } // else: garbage at once
        }

        void link(Obj holder, int slot, Obj target) {
            long t = target == null ? 0 : target.handle;
            if (holder.type == NODE) {
                heap.set(holder.handle, slot == 0 ? LEFT : RIGHT, t);
            } else {
                heap.setRef(holder.handle, slot, t);
            }
            holder.refs[slot] = t;
        }

        void storeReference() {
            Obj holder = pick();
            if (holder == null || holder.refs.length == 0) {
                return;
            }
            Obj target = random.nextInt(5) == 0 ? null : pick();
            link(holder, random.nextInt(holder.refs.length), target);
        }

        void storePrimitive() {
            Obj o = pick();
            if (o == null || o.prims.length == 0) {
                return;
            }
            int i = random.nextInt(o.prims.length);
            long v = random.nextLong();
            if (o.type == NODE) {
                if (i == 0) {
                    heap.set(o.handle, VALUE, v);
                } else {
                    int tag = (int) v;
                    heap.set(o.handle, TAG, tag);
                    v = tag;
                }
            } else {
                heap.setLong(o.handle, i, v);
            }
            o.prims[i] = v;
        }

        void dropRoot() {
            if (roots.isEmpty()) {
                return;
            }
            int i = random.nextInt(roots.size());
            roots.remove(i).close();
            rootTargets.remove(i);
        }

        void readAndCheckOne() {
            Obj o = pick();
            if (o != null) {
                check(o);
            }
        }

        void collect(int generation) {
            heap.gc().collect(generation);
            if (generation == GarbageCollector.OLD) {
                majors++;
            }
            heap.gc().verify();
            checkAll(generation == GarbageCollector.OLD);
        }

        Set<Long> reachable() {
            Set<Long> seen = new HashSet<>();
            ArrayDeque<Long> work = new ArrayDeque<>(rootTargets);
            while (!work.isEmpty()) {
                long h = work.pop();
                if (h != 0 && seen.add(h)) {
                    for (long r : objects.get(h).refs) {
                        work.push(r);
                    }
                }
            }
            return seen;
        }

        /**
         * The program used {@code h}: a handle it holds may make the object reachable again, and with it
         * everything the object reaches now (a collection that is marking keeps all of that, as it keeps
         * what its roots reached when it started).
         */
        void touch(long h) {
            if (watched.isEmpty() || h == 0) {
                return;
            }
            ArrayDeque<Long> work = new ArrayDeque<>();
            Set<Long> seen = new HashSet<>();
            work.push(h);
            while (!work.isEmpty()) {
                long t = work.pop();
                if (t != 0 && seen.add(t)) {
                    for (Set<Long> w : watched) {
                        w.remove(t);
                    }
                    Obj o = objects.get(t);
                    if (o != null) {
                        for (long r : o.refs) {
                            work.push(r);
                        }
                    }
                }
            }
        }

        /** The objects of the model that no root reaches now. */
        Set<Long> unreachableNow() {
            Set<Long> dead = new HashSet<>(objects.keySet());
            dead.removeAll(reachable());
            return dead;
        }

        /** Asserts that every object in {@code gone} is freed, and forgets them. */
        void assertFreed(Set<Long> gone, String when) {
            for (long h : gone) {
                if (heap.isLive(h)) {
                    throw new AssertionError("unreachable object #" + Heap.idOf(h) + " survived " + when + ": "
                            + org.mm4j.internal.heap.CycleSteps.describe(heap, h));
                }
                objects.remove(h);
            }
        }

        /** After a collection: reachable objects intact; after a major one, unreachable ones gone. */
        void checkAll(boolean major) {
            Set<Long> live = reachable();
            try (HandleScope scope = heap.openHandleScope()) {
                for (long h : live) {
                    check(objects.get(h));
                }
            }
            if (major) {
                for (Obj o : new ArrayList<>(objects.values())) {
                    if (!live.contains(o.handle)) {
                        assertFalse(heap.isLive(o.handle), "unreachable object #" + Heap.idOf(o.handle)
                                + " survived a major collection");
                        objects.remove(o.handle);
                    }
                }
            }
        }

        void check(Obj o) {
            long h = o.handle;
            assertTrue(heap.isLive(h), "reachable object #" + Heap.idOf(h) + " was freed");
            assertEquals(o.type, heap.typeOf(h));
            if (o.type == NODE) {
                assertEquals(o.prims[0], heap.get(h, VALUE));
                assertEquals((int) o.prims[1], heap.get(h, TAG));
                assertEquals(o.refs[0], heap.get(h, LEFT), "left of #" + Heap.idOf(h));
                assertEquals(o.refs[1], heap.get(h, RIGHT), "right of #" + Heap.idOf(h));
                touch(o.refs[0]); // reading a reference hands out a handle: the program holds its object
                touch(o.refs[1]);
                byte[] code = new byte[3];
                heap.get(h, CODE, code);
                assertEquals(java.util.Arrays.toString(o.code), java.util.Arrays.toString(code));
            } else if (o.type == REFS) {
                assertEquals(o.refs.length, heap.length(h));
                for (int i = 0; i < o.refs.length; i++) {
                    assertEquals(o.refs[i], heap.getRef(h, i));
                    touch(o.refs[i]);
                }
            } else {
                assertEquals(o.prims.length, heap.length(h));
                for (int i = 0; i < o.prims.length; i++) {
                    assertEquals(o.prims[i], heap.getLong(h, i));
                }
            }
        }

        void finish() {
            collect(GarbageCollector.OLD);
            for (GlobalHandle g : roots) {
                g.close();
            }
            roots.clear();
            rootTargets.clear();
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void randomMutationsAgainstTheModel(long seed) {
        Seeds.withSeed(seed, () -> {
            try (Heap heap = Heap.builder().name("model").nurseryBytes(256 << 10).build()) {
                Run run = new Run(heap, seed);
                for (int i = 0; i < 6000; i++) {
                    run.step(true);
                }
                run.finish();
                assertEquals(run.reachable().size(), 0);
                heap.gc().collect();
                assertEquals(0, heap.stats().liveObjects(), "all roots closed: nothing lives");
                assertTrue(heap.gc().stats(GarbageCollector.YOUNG).collections() > 0, "the nursery filled up");
            }
        });
    }

    /** Runs {@code body(t)} on threads {@code mutator-t} for t in [0, threads), and fails with the first failure. */
    static void inThreads(int threads, java.util.function.IntConsumer body) throws InterruptedException {
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread worker = new Thread(() -> body.accept(index), "mutator-" + t);
            worker.setUncaughtExceptionHandler((th, e) -> failures.add(e));
            workers.add(worker);
        }
        workers.forEach(Thread::start);
        for (Thread worker : workers) {
            worker.join();
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " thread(s) failed", failures.get(0));
        }
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> threadsAndSeeds() {
        return Seeds.seeds(2).boxed().flatMap(seed -> java.util.stream.Stream.of(2, 4)
                .map(threads -> org.junit.jupiter.params.provider.Arguments.of(threads, seed)));
    }

    /**
     * Several threads mutate one heap at once, each its own graph against its own model; collections
     * start from allocation in any thread and from explicit calls, with the others mid-operation.
     */
    @ParameterizedTest
    @MethodSource("threadsAndSeeds")
    void severalMutatorThreads(int threads, long seed) {
        Seeds.withSeed(seed, () -> {
            try (Heap heap = Heap.builder().name("threads").nurseryBytes(256 << 10).build()) {
                inThreads(threads, t -> {
                    Run run = new Run(heap, seed + 31L * t);
                    for (int i = 0; i < 3000; i++) {
                        run.step(true);
                    }
                    run.finish();
                });
                heap.gc().collect();
                heap.gc().verify();
                assertEquals(0, heap.stats().liveObjects(), "every thread closed its roots");
            }
        });
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void liveCountMatchesTheModelAfterMajorCollections(long seed) {
        Seeds.withSeed(seed, () -> {
            try (Heap heap = Heap.builder().name("count").nurseryBytes(256 << 10).build()) {
                Run run = new Run(heap, seed);
                for (int round = 0; round < 5; round++) {
                    for (int i = 0; i < 800; i++) {
                        run.step(false);
                    }
                    run.collect(GarbageCollector.OLD);
                    HeapStats stats = heap.stats();
                    Set<Long> reachable = run.reachable();
                    long bytes = 0;
                    for (long h : reachable) {
                        Obj o = run.objects.get(h);
                        bytes += o.type.isArray() ? o.type.instanceBytes(Math.max(o.refs.length, o.prims.length))
                                : o.type.fixedBytes();
                    }
                    assertEquals(reachable.size(), stats.liveObjects(), "objects, round " + round);
                    assertEquals(bytes, stats.liveBytes(), "bytes, round " + round);
                }
                run.finish();
            }
        });
    }
}
