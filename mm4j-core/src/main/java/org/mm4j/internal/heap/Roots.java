package org.mm4j.internal.heap;

import java.util.function.IntConsumer;

/**
 * The roots of every collection, in one place: the threads' handle stacks, the strong global roots, the
 * pinned objects and the frozen ones. Read with the world stopped.
 *
 * <ul>
 *   <li>A minor collection starts from the stacks and globals ({@link #forEachStackAndGlobal}) — pinned
 *       and frozen objects are old — plus the remembered set.</li>
 *   <li>Marking starts from the same stacks and globals (through the minor collection that starts it),
 *       the pinned objects ({@link HeapImpl#pinnedIds}) and the frozen ones.</li>
 *   <li>A full collection's marking starts from all four ({@link #all}).</li>
 *   <li>Objects of open scopes are roots of every collection ({@link #forEachScopeReference}).</li>
 * </ul>
 */
final class Roots {
    private Roots() {}

    /** Every id in a thread's handle stack or a strong global root (0 for empty slots included). */
    static void forEachStackAndGlobal(HeapImpl heap, IntConsumer action) {
        for (Mutator m : heap.mutators) {
            for (int i = 0; i < m.handleTop; i++) {
                action.accept(m.handles[i]);
            }
        }
        heap.globals.forEachStrong(action);
    }

    /**
     * Every reference held by an object of an open scope. Scoped objects are roots of every collection:
     * never moved or freed while their scope is open, and what they refer to stays alive. (A minor
     * collection reaches the young objects among these through the remembered set; marking starts from
     * all of them.) Scoped ids themselves are passed on too — references to enclosing scopes' objects —
     * and marking passes them by, as they are not live ids of the collected heap.
     */
    static void forEachScopeReference(HeapImpl heap, IntConsumer action) {
        heap.scopes.forEachOpenObject(id -> References.any(heap.table.addressOf(id), ref -> {
            action.accept(ref);
            return false;
        }));
    }

    /** Every root: stacks, globals, pinned objects, {@code frozen} and scope references, into {@code into}. */
    static void all(HeapImpl heap, int[] frozen, Globals.IntStack into) {
        forEachStackAndGlobal(heap, into::push);
        forEachScopeReference(heap, into::push);
        for (int id : heap.pinnedIds()) {
            into.push(id);
        }
        for (int id : frozen) {
            into.push(id);
        }
    }
}
