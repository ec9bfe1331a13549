package org.mm4j.bench.peer;

import java.lang.foreign.MemorySegment;
import org.mm4j.alloc.SizeClassAllocator;

/** {@code mm4j}: mm4j's size-class allocator with its defaults. */
final class Mm4jPeer extends SegmentPeer {
    static final String COMMITTED_SOURCE = "metrics().committedBytes()";

    private final SizeClassAllocator heap = SizeClassAllocator.builder().build();

    Mm4jPeer(int slots) {
        super(slots);
    }

    @Override
    public String name() {
        return "mm4j";
    }

    @Override
    public void allocate(int slot, int size) {
        blocks[slot] = heap.allocate(size, 8);
    }

    @Override
    public void free(int slot) {
        MemorySegment block = blocks[slot];
        blocks[slot] = null;
        heap.free(block);
    }

    @Override
    public long committedBytes() {
        return heap.metrics().committedBytes();
    }

    @Override
    public String committedSource() {
        return COMMITTED_SOURCE;
    }

    @Override
    public void close() {
        super.close();
        heap.close();
    }
}
