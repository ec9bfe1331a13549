package org.mm4j.internal.alloc;

import java.lang.foreign.MemorySegment;
import org.mm4j.alloc.AllocatorMetrics;
import org.mm4j.alloc.SizeClassAllocator;

/** The general-purpose allocator: size classes on {@link PagedAllocator}, large requests on its own {@link LargeAllocatorImpl}. */
public final class SizeClassAllocatorImpl extends PagedAllocator implements SizeClassAllocator {
    private static final PageClass[] CLASSES = new PageClass[SizeClasses.COUNT + SizeClasses.MEDIUM_COUNT];
    /** Slots of a class are aligned to at least this much; larger alignments pick a larger class. */
    private static final long MAX_CLASS_ALIGNMENT = Chunk.UNIT_SIZE;

    static {
        for (int i = 0; i < SizeClasses.COUNT; i++) {
            CLASSES[i] = new PageClass(i, SizeClasses.sizeOf(i));
        }
        for (int m = 0; m < SizeClasses.MEDIUM_COUNT; m++) {
            CLASSES[SizeClasses.COUNT + m] = PageClass.singleSlot(SizeClasses.COUNT + m, SizeClasses.MEDIUM_MIN_UNITS + m);
        }
    }

    private final LargeAllocatorImpl large;
    private final Metrics metrics = new Metrics();

    public SizeClassAllocatorImpl(AllocatorConfig config, boolean hugePages) {
        super(config, CLASSES, hugePages);
        this.large = new LargeAllocatorImpl(config, true);
    }

    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        checkOpen();
        if (byteSize > 0 && byteSize <= MAX_CLASS_BYTES && byteAlignment > 0 && byteAlignment <= 8
                && (byteAlignment & (byteAlignment - 1)) == 0) {
            return allocateInClass(SizeClasses.indexOf((int) byteSize), byteSize);
        }
        return allocateUncommon(byteSize, byteAlignment);
    }

    private MemorySegment allocateUncommon(long byteSize, long byteAlignment) {
        checkSize(byteSize);
        checkAlignment(byteAlignment);
        if (byteSize <= MAX_CLASS_BYTES && byteAlignment <= MAX_CLASS_ALIGNMENT) {
            int cls = SizeClasses.indexOf((int) byteSize, byteAlignment);
            if (cls >= 0) {
                return allocateInClass(cls, byteSize);
            }
        }
        if (byteSize <= SizeClasses.MAX_MEDIUM_BYTES && byteAlignment <= MAX_CLASS_ALIGNMENT) {
            return allocateInClass(SizeClasses.mediumIndexOf(byteSize), byteSize);
        }
        return large.allocate(byteSize, byteAlignment);
    }

    @Override
    public long allocateAddress(long byteSize) {
        checkOpen();
        if (byteSize > 0 && byteSize <= MAX_CLASS_BYTES) {
            return allocateAddressInClass(SizeClasses.indexOf((int) byteSize));
        }
        checkSize(byteSize);
        if (byteSize <= SizeClasses.MAX_MEDIUM_BYTES) {
            return allocateAddressInClass(SizeClasses.mediumIndexOf(byteSize));
        }
        return large.allocate(byteSize, 8).address();
    }

    /**
     * The bytes a block of {@code byteSize} bytes from {@link #allocateAddress} takes: its class's slot, or
     * for a large block its mapping (whole OS pages). What {@link #freeAddresses} counts when it frees it.
     */
    public long blockBytes(long byteSize) {
        if (byteSize > 0 && byteSize <= MAX_CLASS_BYTES) {
            return CLASSES[SizeClasses.indexOf((int) byteSize)].slotSize;
        }
        checkSize(byteSize);
        if (byteSize <= SizeClasses.MAX_MEDIUM_BYTES) {
            return CLASSES[SizeClasses.mediumIndexOf(byteSize)].slotSize;
        }
        return LargeAllocatorImpl.mappedBytes(byteSize);
    }

    /**
     * The bytes this allocator holds committed: its pages' (used or free, until purged) and its large
     * blocks' — its own share of a budget it may share with others.
     */
    public long ownCommittedBytes() {
        return pagesCommittedBytes() + large.allocatedBytes();
    }

    @Override
    void freeUnowned(MemorySegment segment, Chunk chunk) {
        if (chunk != null) {
            throw foreign(segment.address(), chunk, name());
        }
        large.free(segment);
    }

    @Override
    long freeUnownedAddress(long address, Chunk chunk) {
        if (chunk != null) {
            throw foreign(address, chunk, name());
        }
        return large.freeBlockAt(address);
    }

    @Override
    public AllocatorMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        closePages(large::close);
    }

    @Override
    public String toString() {
        return "SizeClassAllocator" + metrics;
    }

    private final class Metrics extends PagedMetrics {
        @Override
        public long requestedBytes() {
            return super.requestedBytes() + large.requestedBytes();
        }

        @Override
        public long allocatedBytes() {
            return super.allocatedBytes() + large.allocatedBytes();
        }

        @Override
        public long reservedBytes() {
            return super.reservedBytes() + large.allocatedBytes();
        }

        @Override
        public long peakAllocatedBytes() {
            return super.peakAllocatedBytes() + large.peakAllocatedBytes();
        }

        @Override
        public long liveAllocations() {
            return super.liveAllocations() + large.liveAllocations();
        }

        @Override
        public long totalAllocations() {
            return super.totalAllocations() + large.totalAllocations();
        }
    }
}
