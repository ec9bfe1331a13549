package org.mm4j.internal.heap;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.mm4j.heap.Type;

/**
 * The checks of {@code gc().verify()}, with the world stopped: every invariant of the heap, and of the
 * marking cycle in its current phase.
 *
 * <ul>
 *   <li>Handle table and spaces: live ids point into the used parts of the spaces, headers name their
 *       own ids and known types, the old space's counts (objects, their blocks' bytes) are exact, eden and the from-survivor walk from start
 *       to end, pinned objects are old.</li>
 *   <li>References and roots: every reference held by a live object that is not condemned, and every
 *       root, is to a live object that is not condemned; every old object referring to a young one is
 *       remembered; a thread without scopes holds no handles.</li>
 *   <li>Marking ({@link Marking#MARKING}): finishing the marking from the grey work as it stands would
 *       mark every object that is reachable now and existed when marking started (old, or young with the
 *       snapshot flag). This is what makes the remark's "no grey work left" mean "nothing reachable is
 *       condemned".</li>
 *   <li>Sweeping ({@link Marking#SWEEPING}): no grey work; condemned objects are only at or above the
 *       sweep's cursor, and nothing but condemned objects refers to them (the strong tricolor invariant
 *       at the end of marking, kept since by the barrier's refusals).</li>
 *   <li>Idle: no grey work.</li>
 * </ul>
 */
final class HeapVerifier {
    private final HeapImpl heap;
    private final HandleTable table;
    private final Nursery nursery;
    private final Marking marking;
    private final Scavenger scavenger;
    private final Sweeper sweeper;
    private final MemorySegment view = HeapImpl.VIEW;
    private final List<String> problems = new ArrayList<>();
    private final Set<Long> inRememberedSet = new HashSet<>();

    HeapVerifier(HeapImpl heap, Scavenger scavenger, Sweeper sweeper) {
        this.heap = heap;
        this.table = heap.table;
        this.nursery = heap.nursery;
        this.marking = heap.marking;
        this.scavenger = scavenger;
        this.sweeper = sweeper;
    }

    void run(int[] frozen) {
        for (Mutator m : heap.mutators) {
            HeapImpl.retireTlab(m);
            if (m.scopeDepth == 0 && m.handleTop != 0) {
                fail("thread " + m.owner.getName() + " has no handle scope open but " + m.handleTop
                        + " handles on its stack");
            }
            for (int i = 0; i < m.rememberedCount; i++) {
                inRememberedSet.add(m.remembered[i]);
            }
            for (int i = 0; i < m.handleTop; i++) {
                checkRoot(m.handles[i], "thread " + m.owner.getName() + " holds a root to");
            }
        }
        scavenger.forEachRemembered(inRememberedSet::add);
        heap.globals.forEachStrong(id -> checkRoot(id, "a global root refers to"));
        long[] oldCount = {0, 0}; // objects, and their blocks' bytes
        table.forEachLive(id -> checkObject(id, oldCount));
        heap.scopes.forEachOpenObject(this::checkScopedObject);
        sweeper.forEachWaiting((id, oldAddress) -> {
            if ((table.flagsOf(id) & HandleTable.UNLINKED) == 0) {
                fail("object #" + id + " waits to be freed by the sweep but is not unlinked");
            }
            if (oldAddress != 0) {
                oldCount[0]++; // still counted until its memory goes back
                oldCount[1] += oldBlockBytes(id, oldAddress);
            }
        });
        if (oldCount[0] != heap.oldObjects.get()) {
            fail(oldCount[0] + " objects in the old space, but the heap counts " + heap.oldObjects.get());
        } else if (oldCount[1] != heap.oldBytes.get()) {
            fail("the old space's objects take " + oldCount[1] + " bytes, but the heap counts "
                    + heap.oldBytes.get());
        }
        walk(nursery.base, nursery.edenTop(), "eden");
        walk(nursery.fromBase(), nursery.fromTop, "survivor");
        checkCycle(frozen);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("heap '" + heap.name() + "' is inconsistent: " + problems.get(0)
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""));
        }
    }

    /** The bytes the old space counts for object {@code id} at {@code a}: its block's; 0 if unreadable. */
    private long oldBlockBytes(int id, long a) {
        try {
            return heap.old.blockBytes(HeapImpl.objectBytes(a));
        } catch (IllegalArgumentException e) {
            fail("object #" + id + " has an unreadable size: " + e.getMessage());
            return 0;
        }
    }

    private void fail(String problem) {
        if (problems.size() < 100) {
            problems.add(problem);
        }
    }

    private boolean condemned(int id) {
        return marking.isCondemned(id, table.addressOf(id));
    }

    private void checkRoot(int id, String what) {
        if (id == 0) {
            return;
        }
        if (!table.isLive(id)) {
            fail(what + " dead object #" + id);
        } else if (condemned(id)) {
            fail(what + " condemned object #" + id);
        }
    }

    private void checkObject(int id, long[] oldCount) {
        long a = table.addressOf(id);
        boolean young = nursery.contains(a);
        if (young && !(inRange(a, nursery.base, nursery.edenTop())
                || inRange(a, nursery.fromBase(), nursery.fromTop))) {
            fail("object #" + id + " lies in an unused part of the nursery");
            return;
        }
        if (!young) {
            oldCount[0]++;
        } else if (heap.isPinned(id)) {
            fail("pinned object #" + id + " is in the nursery, where objects move");
        }
        long header = ObjectHeader.read(view, a);
        if (ObjectHeader.id(header) != id) {
            fail("object #" + id + " has the header of #" + ObjectHeader.id(header));
            return;
        }

        try {
            Type.ofId(ObjectHeader.typeId(header));
        } catch (IllegalArgumentException e) {
            fail("object #" + id + " has unknown type id " + ObjectHeader.typeId(header));
            return;
        }
        if (!young) {
            oldCount[1] += oldBlockBytes(id, a);
        }
        if (condemned(id)) {
            if (id < sweeper.cursor()) {
                fail("condemned object #" + id + " is below the sweep's cursor " + sweeper.cursor());
            }
            return; // it may refer to objects freed already: nothing else may refer to it
        }
        boolean[] refersToYoung = {false};
        References.any(a, ref -> {
            if (heap.scopes.isOpenScoped(ref)) {
                fail("object #" + id + " of the collected heap refers to scoped object #" + ref);
            } else if (!table.isLive(ref)) {
                fail("object #" + id + " refers to dead object #" + ref);
            } else if (condemned(ref)) {
                fail("object #" + id + " refers to condemned object #" + ref);
            } else if (nursery.contains(table.addressOf(ref))) {
                refersToYoung[0] = true;
            }
            return false;
        });
        if (!young && refersToYoung[0]) {
            checkRemembered(id, a, header, "old object");
        }
    }

    /**
     * An open scope's object: its header, references only to live, uncondemned objects or to objects of its
     * own scope's chain, and remembered if it refers to a young object.
     */
    private void checkScopedObject(int id) {
        long a = table.addressOf(id);
        long header = ObjectHeader.read(view, a);
        if (ObjectHeader.id(header) != id) {
            fail("scoped object #" + id + " has the header of #" + ObjectHeader.id(header));
            return;
        }
        ScopeImpl scope = heap.scopes.scope(table.scopeOf(id));
        boolean[] refersToYoung = {false};
        References.any(a, ref -> {
            int number = table.scopeOf(ref);
            if (number != 0) {
                ScopeImpl target = heap.scopes.scope(number);
                if (target == null || !target.isOpen() || !scope.isWithin(target)) {
                    fail("scoped object #" + id + " refers to object #" + ref + " of a scope it may outlive");
                }
            } else if (!table.isLive(ref)) {
                fail("scoped object #" + id + " refers to dead object #" + ref);
            } else if (condemned(ref)) {
                fail("scoped object #" + id + " refers to condemned object #" + ref);
            } else if (nursery.contains(table.addressOf(ref))) {
                refersToYoung[0] = true;
            }
            return false;
        });
        if (refersToYoung[0]) {
            checkRemembered(id, a, header, "scoped object");
        }
    }

    /**
     * Object {@code id}, outside the nursery, refers to a young object: it must be in the remembered set,
     * flagged — or, a long array, each of its cards that refers to a young object.
     */
    private void checkRemembered(int id, long a, long header, String what) {
        if (!Cards.carded(a, header)) {
            if ((ObjectHeader.flags(header) & ObjectHeader.REMEMBERED) == 0
                    || !inRememberedSet.contains(Cards.whole(id))) {
                fail(what + " #" + id + " refers to a young object but is not in the remembered set");
            }
            return;
        }
        int length = ObjectHeader.arrayLength(view, a);
        for (int card = 0; card <= (length - 1) / Cards.SLOTS; card++) {
            int first = Cards.firstSlot(card);
            if (References.anyInSlots(a, first, Cards.endSlot(card, length),
                    ref -> nursery.contains(table.addressOf(ref)))
                    && !inRememberedSet.contains(Cards.card(id, first))) {
                fail(what + " #" + id + " refers to a young object in slots from " + first
                        + " but that card is not in the remembered set");
            }
        }
    }

    private static boolean inRange(long a, long start, long end) {
        return a >= start && a < end;
    }

    private void walk(long start, long end, String space) {
        long a = start;
        while (a < end) {
            long header = ObjectHeader.read(view, a);
            long size;
            if (ObjectHeader.typeId(header) == ObjectHeader.FILLER_TYPE) {
                size = Integer.toUnsignedLong(ObjectHeader.id(header));
                if (size == 0 || (size & 7) != 0) {
                    fail(space + " has a filler of " + size + " bytes at offset " + (a - start));
                    return;
                }
            } else {
                try {
                    size = HeapImpl.objectBytes(a);
                } catch (IllegalArgumentException e) {
                    fail(space + " has an unreadable header at offset " + (a - start));
                    return;
                }
            }
            a += size;
        }
        if (a != end) {
            fail(space + " walk ends at offset " + (a - start) + ", past its end " + (end - start));
        }
    }

    // ------------------------------------------------------------------ the marking cycle

    private void checkCycle(int[] frozen) {
        int phase = marking.phase();
        if (phase != Marking.MARKING) {
            if (marking.hasGreyWork()) {
                fail("grey work is left outside marking (phase " + phase + ")");
            }
            return;
        }
        // what the markers would mark from here on, were nothing to change: marked objects, and old
        // objects reachable from grey work through unmarked old objects
        BitSet wouldMark = new BitSet();
        BitSet work = new BitSet();
        marking.forEachGrey(work::set);
        Globals.IntStack stack = new Globals.IntStack();
        work.stream().forEach(stack::push);
        while (!stack.isEmpty()) {
            int id = stack.pop();
            if (id == 0 || wouldMark.get(id) || !table.isLive(id)) {
                continue;
            }
            wouldMark.set(id);
            References.any(table.addressOf(id), ref -> {
                if (!marking.isMarked(ref)) {
                    stack.push(ref);
                }
                return false;
            });
        }
        // every object reachable now that existed when marking started must be among them
        Globals.IntStack roots = new Globals.IntStack();
        Roots.all(heap, frozen, roots);
        BitSet seen = new BitSet();
        for (int i = 0; i < roots.size(); i++) {
            stack.push(roots.get(i));
        }
        while (!stack.isEmpty()) {
            int id = stack.pop();
            if (id == 0 || seen.get(id) || !table.isLive(id)) {
                continue;
            }
            seen.set(id);
            long a = table.addressOf(id);
            boolean existedAtStart = !nursery.contains(a)
                    || (ObjectHeader.flags(ObjectHeader.read(view, a)) & ObjectHeader.SNAPSHOT) != 0;
            if (existedAtStart && !marking.isMarked(id) && !wouldMark.get(id)) {
                fail("object #" + id + " is reachable but neither marked nor reachable from grey work:"
                        + " marking would condemn it");
            }
            References.any(a, ref -> {
                stack.push(ref);
                return false;
            });
        }
    }
}
