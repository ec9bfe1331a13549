package org.mm4j.app;

import org.mm4j.alloc.AllocatorMetrics;

/**
 * An allocator's statistics at one moment: {@link AllocatorMetrics} is a live view, and the report
 * is printed after the memory is freed.
 */
record AllocatorSnapshot(
    String name,
    String use,
    long allocations,
    long live,
    long requestedBytes,
    long allocatedBytes,
    long wasteBytes,
    long committedBytes,
    long peakCommittedBytes,
    double fragmentation) {

  static AllocatorSnapshot of(DemoMemory.Part part) {
    AllocatorMetrics m = part.allocator().metrics();
    return new AllocatorSnapshot(
        m.name(),
        part.use(),
        m.totalAllocations(),
        m.liveAllocations(),
        m.requestedBytes(),
        m.allocatedBytes(),
        m.internalWasteBytes(),
        m.committedBytes(),
        m.peakCommittedBytes(),
        m.fragmentation());
  }
}
