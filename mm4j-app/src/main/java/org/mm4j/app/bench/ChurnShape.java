package org.mm4j.app.bench;

import java.util.SplittableRandom;

/**
 * The logical structure of the churn workload that {@code mm4j bench gc} runs, and its operations — the
 * part both implementations ({@link HeapChurn}, {@link JavaChurn}) share, so that they do the same
 * thing.
 *
 * <h2>The structure</h2>
 * A table of {@code groups} slots in pages of {@link #PAGE_SLOTS}, reached from one directory (the
 * root). Each slot holds a group: a patient, whose singly linked list holds {@link #VISITS} visits,
 * each with a singly linked list of {@link #LABS} lab results — {@link #OBJECTS_PER_GROUP} records of
 * about 90 bytes (see {@link ChurnRecords}). New elements are linked at the head of their list.
 *
 * <h2>The operations</h2>
 * A thread owns the pages whose number is its own modulo the number of threads (no two threads ever
 * write the same object) and draws, for each operation, one of its slots uniformly, then one of:
 * <ul>
 *   <li>a quarter of the time, <b>replace the patient</b>: read the keys of its whole group, then put a
 *       new group in the slot (13 new records; the old group becomes garbage);
 *   <li>a quarter, <b>replace a visit</b>: walk to a random visit, read its keys and its labs', unlink
 *       it, link a new visit with new labs at the head (4 new records);
 *   <li>half, <b>replace a lab result</b>: walk to a random visit and one of its labs, read its key,
 *       unlink it, link a new one at the head of that visit's list (1 new record).
 * </ul>
 * Every operation allocates exactly what it drops, so the live set stays constant; on average 4.75
 * records (about 420 bytes in mm4j, handle-table entries included) are allocated, and as many dropped,
 * per operation. Records die old (at the default size a whole group is replaced every two and a half
 * minutes): this is the hard case for a generational collector, whose old generation must keep up.
 *
 * <p>New records draw their keys from the thread's random generator in creation order: a patient's key,
 * then for each of its visits the visit's key followed by its labs' keys. The operations draw from the
 * same generator, so one seed gives both implementations the same records.
 *
 * @param groups slots, each holding one group; a multiple of {@link #PAGE_SLOTS}
 * @param threads mutator threads, each owning every {@code threads}-th page
 */
record ChurnShape(int groups, int threads) {
    /** Slots per page. */
    static final int PAGE_SLOTS = 1024;

    static final int VISITS = 3;
    static final int LABS = 3;
    static final int OBJECTS_PER_GROUP = 1 + VISITS * (1 + LABS);

    /** The most threads: each owns at least one page, and the machine has few cores. */
    static final int MAX_THREADS = 2;

    ChurnShape {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be 1 to " + MAX_THREADS + ": " + threads);
        }
        if (groups < PAGE_SLOTS * threads || groups % PAGE_SLOTS != 0) {
            throw new IllegalArgumentException("groups must be a multiple of " + PAGE_SLOTS + ", at least "
                    + PAGE_SLOTS * threads + ": " + groups);
        }
    }

    /**
     * The shape whose mm4j heap holds about {@code liveBytes}: as many whole pages of groups as fit,
     * at least one page per thread.
     *
     * @param bytesPerGroup what one group takes, as {@link HeapChurn#bytesPerGroup()}
     */
    static ChurnShape forLiveBytes(long liveBytes, long bytesPerGroup, int threads) {
        long pages = Math.max(threads, liveBytes / bytesPerGroup / PAGE_SLOTS);
        if (pages * PAGE_SLOTS > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("live set too large: " + liveBytes + " bytes");
        }
        return new ChurnShape((int) (pages * PAGE_SLOTS), threads);
    }

    int pages() {
        return groups / PAGE_SLOTS;
    }

    /** {@code thread}, if it is one of this shape's threads. */
    int checkThread(int thread) {
        if (thread < 0 || thread >= threads) {
            throw new IllegalArgumentException("thread " + thread + " of " + threads);
        }
        return thread;
    }

    /** The pages thread {@code thread} owns: pages {@code thread}, {@code thread + threads}, … */
    int pagesOf(int thread) {
        return (pages() - thread + threads - 1) / threads;
    }

    /** The records of all groups. */
    long records() {
        return (long) groups * OBJECTS_PER_GROUP;
    }

    /** Every live object: the records, the pages and the directory. */
    long objects() {
        return records() + pages() + 1;
    }

    /** One operation as drawn: which slot and what to do there. Reused by its thread. */
    static final class Op {
        static final int REPLACE_PATIENT = 0;
        static final int REPLACE_VISIT = 1;
        static final int REPLACE_LAB = 2;

        int page;
        int slot;
        int kind;
        /** The visit to replace, or whose lab to replace: its position in the patient's list. */
        int visit;
        /** The lab to replace: its position in the visit's list. */
        int lab;

        /** Draws the next operation of {@code thread}. */
        Op draw(SplittableRandom random, ChurnShape shape, int thread) {
            int k = random.nextInt(shape.pagesOf(thread) * PAGE_SLOTS);
            page = thread + shape.threads * (k / PAGE_SLOTS);
            slot = k % PAGE_SLOTS;
            int choice = random.nextInt(4);
            kind = choice == 0 ? REPLACE_PATIENT : choice == 1 ? REPLACE_VISIT : REPLACE_LAB;
            visit = kind == REPLACE_PATIENT ? 0 : random.nextInt(VISITS);
            lab = kind == REPLACE_LAB ? random.nextInt(LABS) : 0;
            return this;
        }
    }
}
