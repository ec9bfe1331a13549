package org.mm4j.bench.peer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

/**
 * {@code ffm-slicing}: {@link SegmentAllocator#slicingAllocator} over one region taken once from a
 * confined arena; each batch starts a new slicing allocator over the same region. A batch larger than the
 * region fails, as the JDK's allocator does.
 */
final class FfmSlicingPeer extends BumpPeer {
    /** Large enough for the largest batch the workloads make (1000 blocks of 4 KiB) and more. */
    static final long REGION_BYTES = 64L << 20;

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment region = arena.allocate(REGION_BYTES, 4096);
    private SegmentAllocator slicer = SegmentAllocator.slicingAllocator(region);

    FfmSlicingPeer(int slots) {
        super(slots);
    }

    @Override
    public String name() {
        return "ffm-slicing";
    }

    @Override
    public void beginBatch() {
        slicer = SegmentAllocator.slicingAllocator(region);
    }

    @Override
    public void allocate(int slot, int size) {
        blocks[slot] = slicer.allocate(size, 8);
    }

    @Override
    public void close() {
        super.close();
        arena.close();
    }
}
