package org.mm4j.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mm4j.alloc.Seeds;
import org.mm4j.internal.heap.CycleSteps;

/**
 * Seeded random work on nested scopes and the collected heap, checked against a model: objects in
 * scopes at every depth and in the heap (some kept only by scoped objects), stores that are allowed and
 * stores that must be refused, values, scopes closing, promotions, minor and major collections. After
 * every collection every object the model says is alive has its value and references, every object of a
 * closed scope is stale, and after a major collection every heap object no open scope nor root reaches
 * is freed; the heap verifies throughout.
 */
@SuppressWarnings("MustBeClosedChecker") // scopes opened and closed by the model
class ScopeModelTest {
    static final Type ITEM = Type.struct("ScopeModelItem").longField("value").refField("a").refField("b").build();
    static final LongField VALUE = ITEM.longField("value");
    static final RefField[] REFS = {ITEM.refField("a"), ITEM.refField("b")};

    static LongStream seeds() {
        return Seeds.seeds(4);
    }

    /** An object as the model sees it: level 0 is the heap, n the n-th open scope. */
    static final class Item {
        final long handle;
        final int level;
        long value;
        final Item[] refs = new Item[2];
        boolean rooted; // heap objects: registered in the run's handle scope

        Item(long handle, int level) {
            this.handle = handle;
            this.level = level;
        }
    }

    static final class Run {
        final Heap heap;
        final SplittableRandom random;
        final HandleScope roots;
        final ArrayDeque<Scope> scopes = new ArrayDeque<>();
        final List<List<Item>> levels = new ArrayList<>();
        final List<Item> heapItems = new ArrayList<>();
        final List<Item> dead = new ArrayList<>();
        /** Heap objects nothing reaches any more: dropped by the program; a major collection frees them. */
        final List<Item> garbage = new ArrayList<>();
        final Set<Integer> cyclePhases = new HashSet<>();

        /** Whether the old collection's cycle is stepped by hand at random points (see {@link #step}). */
        final boolean stepCycle;

        Run(Heap heap, long seed, boolean stepCycle) {
            this.heap = heap;
            this.stepCycle = stepCycle;
            this.random = new SplittableRandom(seed);
            this.roots = heap.openHandleScope();
            levels.add(heapItems);
        }

        List<Item> all() {
            List<Item> items = new ArrayList<>();
            levels.forEach(items::addAll);
            return items;
        }

        Item any() {
            List<Item> items = all();
            return items.isEmpty() ? null : items.get(random.nextInt(items.size()));
        }

        void step() {
            if (stepCycle && random.nextInt(6) == 0) {
                int phase = CycleSteps.step(heap, 1 + random.nextInt(64)); // marking or sweeping, bounded
                heap.gc().verify();
                check(false);
                cyclePhases.add(phase);
            }
            int op = random.nextInt(100);
            if (op < 8 && scopes.size() < 4) {
                scopes.push(heap.openScope());
                levels.add(new ArrayList<>());
            } else if (op < 13 && !scopes.isEmpty()) {
                closeInnermost();
            } else if (op < 38 && !scopes.isEmpty()) {
                int level = 1 + random.nextInt(scopes.size());
                Scope scope = scopeAt(level);
                Item item = new Item(scope.allocate(ITEM), level);
                levels.get(level).add(item);
            } else if (op < 48) {
                allocateInHeap();
            } else if (op < 58) {
                Item item = any();
                if (item != null) {
                    item.value = random.nextLong();
                    heap.set(item.handle, VALUE, item.value);
                }
            } else if (op < 85) {
                store();
            } else if (op < 90 && !scopes.isEmpty()) {
                promote();
            } else if (op < 96) {
                collect(GarbageCollector.YOUNG);
            } else {
                collect(GarbageCollector.OLD);
            }
        }

        Scope scopeAt(int level) {
            int i = 0;
            for (java.util.Iterator<Scope> it = scopes.descendingIterator(); it.hasNext(); ) {
                Scope s = it.next();
                if (++i == level) {
                    return s;
                }
            }
            throw new AssertionError("no scope at level " + level);
        }

        /** A heap object, rooted in the run's handle scope, or kept only by a scoped object's field. */
        void allocateInHeap() {
            List<Item> scoped = new ArrayList<>(all());
            scoped.removeIf(i -> i.level == 0);
            if (!scoped.isEmpty() && random.nextBoolean()) {
                Item holder = scoped.get(random.nextInt(scoped.size()));
                int field = random.nextInt(2);
                try (HandleScope temp = heap.openHandleScope()) {
                    Item item = new Item(heap.allocate(ITEM), 0);
                    heap.set(holder.handle, REFS[field], item.handle);
                    holder.refs[field] = item;
                    heapItems.add(item);
                }
                dropUnreachable(); // what the field referred to before, perhaps
            } else {
                Item item = new Item(heap.allocate(ITEM), 0);
                item.rooted = true;
                heapItems.add(item);
            }
        }

        void store() {
            Item from = any();
            if (from == null) {
                return;
            }
            Item to = random.nextInt(8) == 0 ? null : any();
            int field = random.nextInt(2);
            boolean allowed = to == null || to.level == 0 || (from.level >= to.level);
            if (allowed) {
                heap.set(from.handle, REFS[field], to == null ? 0 : to.handle);
                from.refs[field] = to;
                dropUnreachable();
            } else {
                assertThrows(ScopeEscapeException.class, () -> heap.set(from.handle, REFS[field], to.handle),
                        "level " + from.level + " -> level " + to.level);
                try (HandleScope temp = heap.openHandleScope()) {
                    long stored = heap.get(from.handle, REFS[field]);
                    assertEquals(from.refs[field] == null ? 0 : from.refs[field].handle, stored, "nothing changed");
                }
            }
        }

        /**
         * Promotes an object of the innermost scope; its copies join the enclosing level (the heap's, not
         * rooted, when the scope is the outermost) with the same graph, and the model gets them too.
         */
        void promote() {
            int level = scopes.size();
            List<Item> items = levels.get(level);
            if (items.isEmpty()) {
                return;
            }
            Item original = items.get(random.nextInt(items.size()));
            try (HandleScope temp = heap.openHandleScope()) {
                long copy = scopeAt(level).promote(original.handle);
                copyOf(original, copy, new java.util.HashMap<>());
            }
            dropUnreachable(); // copies in the heap are kept by nothing once the handle scope closes
        }

        /** Checks the copy against the original's graph and adds the copies to the model. */
        private Item copyOf(Item original, long copy, java.util.Map<Item, Item> copies) {
            Item existing = copies.get(original);
            if (existing != null) {
                assertEquals(existing.handle, copy, "one copy per object");
                return existing;
            }
            Item item = new Item(copy, original.level - 1);
            item.value = original.value;
            copies.put(original, item);
            levels.get(item.level).add(item);
            assertEquals(original.value, heap.get(copy, VALUE));
            for (int f = 0; f < 2; f++) {
                long ref = heap.get(copy, REFS[f]);
                Item target = original.refs[f];
                if (target == null) {
                    assertEquals(0, ref);
                } else if (target.level == original.level) {
                    item.refs[f] = copyOf(target, ref, copies);
                } else {
                    assertEquals(target.handle, ref, "references out of the scope are kept");
                    item.refs[f] = target;
                }
            }
            return item;
        }

        void closeInnermost() {
            scopes.pop().close();
            List<Item> closed = levels.remove(levels.size() - 1);
            dead.addAll(closed);
            for (Item item : closed) {
                assertFalse(heap.isLive(item.handle));
            }
            dropUnreachable();
        }

        /** Moves the heap objects nothing reaches from the model to {@link #garbage}. */
        void dropUnreachable() {
            Set<Item> reachable = reachable();
            for (java.util.Iterator<Item> it = heapItems.iterator(); it.hasNext(); ) {
                Item item = it.next();
                if (!reachable.contains(item)) {
                    it.remove();
                    garbage.add(item);
                }
            }
        }

        void collect(int generation) {
            heap.gc().collect(generation);
            heap.gc().verify();
            check(generation == GarbageCollector.OLD);
        }

        /** Reads in a handle scope of its own, so that reading roots nothing. */
        void check(boolean major) {
            try (HandleScope temp = heap.openHandleScope()) {
                checkItems(major);
            }
        }

        private void checkItems(boolean major) {
            for (Item item : all()) {
                assertTrue(heap.isLive(item.handle), "level " + item.level + " object alive");
                assertEquals(item.value, heap.get(item.handle, VALUE));
                for (int f = 0; f < 2; f++) {
                    long expected = item.refs[f] == null ? 0 : item.refs[f].handle;
                    assertEquals(expected, heap.get(item.handle, REFS[f]));
                }
            }
            if (major) {
                for (Item item : garbage) {
                    assertFalse(heap.isLive(item.handle), "an unreachable heap object is freed by a major");
                }
                garbage.clear();
            }
            for (Item item : dead) {
                assertFalse(heap.isLive(item.handle));
                assertThrows(StaleHandleException.class, () -> heap.get(item.handle, VALUE));
            }
        }

        /** Heap objects reachable from rooted ones and from open scopes' objects. */
        Set<Item> reachable() {
            Set<Item> seen = new HashSet<>();
            ArrayDeque<Item> work = new ArrayDeque<>();
            for (Item item : all()) {
                if (item.level > 0 || item.rooted) {
                    work.add(item);
                }
            }
            while (!work.isEmpty()) {
                Item item = work.poll();
                if (seen.add(item)) {
                    for (Item ref : item.refs) {
                        if (ref != null && ref.level == 0 || ref != null && ref.level <= levels.size() - 1
                                && levels.get(ref.level).contains(ref)) {
                            work.add(ref);
                        }
                    }
                }
            }
            return seen;
        }

        void finish() {
            while (!scopes.isEmpty()) {
                closeInnermost();
            }
            collect(GarbageCollector.OLD);
            roots.close();
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void randomWorkOnScopesAndTheHeapAgainstTheModel(long seed) {
        Seeds.withSeed(seed, () -> {
            try (Heap heap = Heap.builder().name("scope-model").nurseryBytes(256 << 10).maxObjects(1 << 16).build()) {
                Run run = new Run(heap, seed, false);
                for (int i = 0; i < 4000; i++) {
                    run.step();
                }
                run.finish();
                heap.gc().collect();
                assertEquals(0, heap.stats().liveObjects(), "every scope closed and every root dropped");
            }
        });
    }

    /**
     * The same with the old collection's cycle stepped by hand at random points: every minor collection
     * starts a cycle, and marking and sweeping advance in small steps between the program's operations,
     * so scopes open, close, promote and store while marking and sweeping are in progress. Nothing reachable
     * may be freed, and the heap verifies (the tricolor check included) after every step.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void theSameWithMarkingAndSweepingInProgress(long seed) {
        Seeds.withSeed(seed, () -> {
            try (Heap heap = Heap.builder().name("scope-model").nurseryBytes(256 << 10).maxObjects(1 << 16).build()) {
                CycleSteps.setAutomatic(heap, false);
                CycleSteps.setContinuous(heap, true);
                Run run = new Run(heap, seed, true);
                for (int i = 0; i < 3000; i++) {
                    run.step();
                }
                assertTrue(run.cyclePhases.contains(CycleSteps.MARKING) && run.cyclePhases.contains(CycleSteps.SWEEPING),
                        "the cycle was seen marking and sweeping: " + run.cyclePhases);
                run.finish();
                heap.gc().collect();
                assertEquals(0, heap.stats().liveObjects(), "every scope closed and every root dropped");
            }
        });
    }
}
