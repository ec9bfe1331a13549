package org.mm4j.heap;

/**
 * Counters of one generation.
 *
 * @param collections collections of this generation
 * @param collectedObjects objects freed by them
 * @param collectedBytes bytes freed by them
 * @param survivedObjects objects they kept (copied, promoted or marked)
 * @param totalPauseNanos time the world was stopped for them
 * @param maxPauseNanos the longest of those pauses
 */
public record CollectionStats(long collections, long collectedObjects, long collectedBytes, long survivedObjects,
        long totalPauseNanos, long maxPauseNanos) {}
