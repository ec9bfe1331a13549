package org.mm4j.internal.heap;

import java.util.Arrays;

/**
 * A grace period, as in RCU: started after some handle-table entries were unlinked ({@link
 * HandleTable#unlinkAll}), it has passed once every heap operation that was in progress at its start has
 * ended. An operation that began later read the entries unlinked (see {@link Mutator}'s state word), so
 * from then on no thread can be reading the unlinked objects, and their memory and ids may be reused.
 *
 * <p>The start reads every other mutator's state word once and keeps those inside an operation; each
 * check drops the ones whose word has changed since (the operation ended), and the period has passed when
 * none is left. No mutator waits for it, and it costs them nothing. Used by one thread at a time.
 */
final class GracePeriod {
    private Mutator[] threads = new Mutator[4];
    private int[] states = new int[4];
    private int count;

    /**
     * Starts the period: records the operations in progress on the threads of {@code mutators} other
     * than {@code self}. The caller's unlinking writes must come before (a full fence between them and
     * this call, so that an operation this start does not see sees them).
     */
    void start(Iterable<Mutator> mutators, Mutator self) {
        count = 0;
        for (Mutator m : mutators) {
            int state = m.state();
            if (m != self && Mutator.isIn(state)) {
                if (count == threads.length) {
                    threads = Arrays.copyOf(threads, count * 2);
                    states = Arrays.copyOf(states, count * 2);
                }
                threads[count] = m;
                states[count++] = state;
            }
        }
    }

    /** Whether every operation recorded at the start has ended. */
    boolean passed() {
        while (count > 0) {
            int last = count - 1;
            if (threads[last].state() == states[last]) {
                return false;
            }
            threads[last] = null;
            count = last;
        }
        return true;
    }

    /** Ends the period at once: the caller knows that no operation is in progress (the world is stopped). */
    void end() {
        Arrays.fill(threads, 0, count, null);
        count = 0;
    }
}
