package org.mm4j.heap;

import java.util.Map;

/**
 * A snapshot of a heap's contents, taken with the world stopped.
 *
 * @param liveObjects objects with a live handle
 * @param liveBytes their bytes, headers included
 * @param youngObjects of those, in the nursery
 * @param oldObjects in the old space (large objects included)
 * @param largeObjects of those, objects above 256 KiB: each on pages or a mapping of its own, never moved
 * @param frozenObjects in the permanent generation
 * @param handleTableBytes memory the handle table holds (16 bytes an id)
 * @param committedBytes memory the heap holds from the OS: nursery, old-space allocator, handle table
 * @param byType live objects and bytes per type
 */
public record HeapStats(long liveObjects, long liveBytes, long youngObjects, long oldObjects, long largeObjects,
        long frozenObjects,
        long handleTableBytes, long committedBytes, Map<Type, TypeStats> byType) {

    /**
     * Live instances of one type.
     *
     * @param objects how many
     * @param bytes their bytes in the heap, headers included
     * @param bytesPerObject bytes per object including its 16-byte handle-table entry
     */
    public record TypeStats(long objects, long bytes, double bytesPerObject) {}
}
