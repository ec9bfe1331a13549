package org.mm4j.app.bench;

import java.util.SplittableRandom;

/**
 * The churn workload of {@code mm4j bench gc} ({@link ChurnShape} says what it does), implemented on one
 * system: {@link HeapChurn} in an mm4j heap, {@link JavaChurn} as Java objects on the JVM's heap.
 *
 * <p>Threads: {@link #build} and {@link #census} run on one thread while no worker runs; each
 * {@link Worker} is used by one thread, which owns its pages; {@link #touch} may run on any thread at
 * any time. Starting and joining the worker threads orders their work with the build and the census.
 */
sealed interface ChurnWorkload extends AutoCloseable permits HeapChurn, JavaChurn {

    ChurnShape shape();

    /**
     * Fills every slot with a new group, drawing the records' keys from {@code random}; returns the sum
     * of all their keys.
     */
    long build(SplittableRandom random);

    /**
     * The worker of thread {@code thread} (0 to {@code shape().threads() - 1}), drawing its operations
     * and new keys from {@code random}.
     */
    Worker worker(int thread, SplittableRandom random);

    /**
     * One trivial operation on the structure (a read of the root), for the stall meter: on mm4j it is a
     * heap operation, so a collection that stops the heap's threads stops it too.
     */
    int touch();

    /** Reads every record: counts them, sums their keys and checks each against its fields. */
    Census census();

    /** Releases the structure (and, for mm4j, the heap). */
    @Override
    void close();

    /** One thread's operations on the slots it owns. */
    interface Worker {
        /** Runs the next operation. */
        void operate();

        /** The keys this worker linked in minus those it unlinked, so far (wrapping). */
        long keyDelta();
    }

    /**
     * What a census found.
     *
     * @param records patients, visits and lab results reachable from the root
     * @param keySum the sum of their keys (wrapping); the build's sum plus every worker's delta if no
     *     update was lost
     * @param damaged records whose check does not match their fields, plus lists of the wrong length
     */
    record Census(long records, long keySum, long damaged) {
        /**
         * What is wrong with this census of a run of {@code shape} whose operations summed to
         * {@code expectedKeys}, or null if nothing: a record count other than the shape's, damaged
         * records or lists, or a key sum that shows a lost or misplaced update.
         */
        String disagreement(ChurnShape shape, long expectedKeys) {
            if (records != shape.records()) {
                return "census found " + records + " records, expected " + shape.records();
            }
            if (damaged != 0) {
                return "census found " + damaged + " damaged records or lists";
            }
            if (keySum != expectedKeys) {
                return "census's key sum " + Long.toHexString(keySum) + " differs from the operations' "
                        + Long.toHexString(expectedKeys);
            }
            return null;
        }
    }
}
