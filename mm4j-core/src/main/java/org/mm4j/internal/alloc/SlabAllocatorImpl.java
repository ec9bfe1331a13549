package org.mm4j.internal.alloc;

import java.lang.foreign.MemorySegment;
import org.mm4j.alloc.AllocatorMetrics;
import org.mm4j.alloc.SlabAllocator;

/** A slab: {@link PagedAllocator} with a single class whose slot is the object size. */
public final class SlabAllocatorImpl extends PagedAllocator implements SlabAllocator {
    private final int slotBytes;
    private final long slotAlignment;
    private final AllocatorMetrics metrics = new PagedMetrics();

    public SlabAllocatorImpl(AllocatorConfig config, long objectBytes, long alignment) {
        super(config, new PageClass[] {new PageClass(0, slotSize(objectBytes, alignment))}, false);
        this.slotBytes = classes[0].slotSize;
        this.slotAlignment = Long.lowestOneBit(slotBytes);
    }

    private static int slotSize(long objectBytes, long alignment) {
        long a = Math.max(8, alignment);
        return (int) ((objectBytes + a - 1) & -a);
    }

    @Override
    public int slotBytes() {
        return slotBytes;
    }

    @Override
    public MemorySegment allocate() {
        checkOpen();
        return allocateInClass(0, slotBytes);
    }

    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        checkOpen();
        checkSize(byteSize);
        checkAlignment(byteAlignment);
        if (byteSize > slotBytes) {
            throw new IllegalArgumentException("slab '" + name() + "' has " + slotBytes
                    + "-byte slots; cannot allocate " + byteSize + " bytes");
        }
        if (byteAlignment > slotAlignment) {
            throw new IllegalArgumentException("slab '" + name() + "' aligns slots to " + slotAlignment
                    + " bytes; cannot align to " + byteAlignment);
        }
        return allocateInClass(0, byteSize);
    }

    @Override
    void freeUnowned(MemorySegment segment, Chunk chunk) {
        throw foreign(segment.address(), chunk, name());
    }

    @Override
    long freeUnownedAddress(long address, Chunk chunk) {
        throw foreign(address, chunk, name());
    }

    @Override
    public AllocatorMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        closePages(() -> { });
    }

    @Override
    public String toString() {
        return "SlabAllocator" + metrics;
    }
}
