package org.mm4j.internal.alloc;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.mm4j.alloc.AllocatorMetrics;
import org.mm4j.alloc.InvalidFreeException;
import org.mm4j.alloc.LargeAllocator;
import org.mm4j.alloc.MemoryLeakException;
import org.mm4j.internal.Debug;
import org.mm4j.internal.os.Mapping;
import org.mm4j.internal.os.NativeMemory;

/**
 * Large allocations: one mapping each, unmapped on free. Fresh mappings read as zero, so
 * {@code zeroOnAllocate} costs nothing here; unmapped memory is zeroed by the OS before anyone else sees
 * it, so {@code scrubOnFree} needs no pass either.
 */
public final class LargeAllocatorImpl implements LargeAllocator {
    private record Block(Mapping mapping, long requested) {}

    /** A bounded, thread-safe set of the most recently added scopes, oldest dropped first. */
    private static final class RecentScopes {
        private final MemorySegment.Scope[] ring;
        private int next;

        RecentScopes(int capacity) {
            ring = new MemorySegment.Scope[capacity];
        }

        synchronized void add(MemorySegment.Scope scope) {
            ring[next] = scope;
            next = (next + 1) % ring.length;
        }

        synchronized boolean contains(MemorySegment.Scope scope) {
            for (MemorySegment.Scope s : ring) {
                if (scope.equals(s)) {
                    return true;
                }
            }
            return false;
        }
    }

    private final AllocatorConfig config;
    private final boolean hugePages;
    private final ConcurrentSkipListMap<Long, Block> live = new ConcurrentSkipListMap<>();
    private final AtomicLong requested = new AtomicLong();
    private final AtomicLong mapped = new AtomicLong();
    private final AtomicLong peakMapped = new AtomicLong();
    private final AtomicLong total = new AtomicLong();
    private final AllocationSites sites = Debug.ALLOCATION_SITES ? new AllocationSites() : null;
    private final Metrics metrics = new Metrics();
    /** Scopes of the last blocks freed, to tell a double free from a foreign segment whose arena closed. */
    private final RecentScopes recentlyFreed = new RecentScopes(1024);
    private volatile boolean closed;

    public LargeAllocatorImpl(AllocatorConfig config, boolean hugePages) {
        this.config = Objects.requireNonNull(config);
        this.hugePages = hugePages;
    }

    @Override
    public String name() {
        return config.name();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("allocator '" + config.name() + "' is closed");
        }
    }

    /** The bytes a block of {@code byteSize} (positive) maps: whole OS pages. */
    static long mappedBytes(long byteSize) {
        return NativeMemory.pageAligned(byteSize);
    }

    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        checkOpen();
        PagedAllocator.checkSize(byteSize);
        PagedAllocator.checkAlignment(byteAlignment);
        if (byteAlignment > MAX_ALIGNMENT) {
            throw new IllegalArgumentException("alignment " + byteAlignment + " exceeds the largest supported, "
                    + MAX_ALIGNMENT);
        }
        long bytes = mappedBytes(byteSize);
        config.budget().reserve(bytes);
        Mapping mapping;
        try {
            mapping = NativeMemory.map(bytes, Math.max(byteAlignment, NativeMemory.PAGE_SIZE));
            if (hugePages && bytes >= NativeMemory.HUGE_PAGE_SIZE) {
                NativeMemory.adviseHugePagesOrUnmap(mapping);
            }
        } catch (RuntimeException | Error e) {
            config.budget().release(bytes);
            throw e;
        }
        Block block = new Block(mapping, byteSize);
        live.put(mapping.address(), block);
        if (closed && live.remove(mapping.address(), block)) {
            // close() ran meanwhile and did not see this block: give it back here
            release(block);
            throw new IllegalStateException("allocator '" + config.name() + "' is closed");
        }
        requested.addAndGet(byteSize);
        long now = mapped.addAndGet(bytes);
        peakMapped.accumulateAndGet(now, Math::max);
        total.incrementAndGet();
        if (Debug.ALLOCATION_SITES) {
            sites.record(mapping.address());
        }
        return mapping.segment().asSlice(0, byteSize);
    }

    @Override
    public void free(MemorySegment segment) {
        Objects.requireNonNull(segment, "segment");
        checkOpen();
        long address = segment.address();
        Block block = live.get(address);
        if (block == null) {
            throw notLive(segment);
        }
        if (segment.byteSize() != block.requested()) {
            throw new InvalidFreeException(InvalidFreeException.Reason.SLICE, "segment at 0x"
                    + Long.toHexString(address) + " of " + segment.byteSize() + " bytes is a slice of a "
                    + block.requested() + "-byte allocation");
        }
        if (!live.remove(address, block)) {
            throw notLive(segment); // another thread freed it at the same moment, or close() took it
        }
        freed(address, block);
    }

    /**
     * Frees the block that starts at {@code address}. Without a segment a double free cannot be told
     * from an address never handed out; both throw.
     */
    public void freeAddress(long address) {
        freeBlockAt(address);
    }

    /** As {@link #freeAddress}; returns the bytes the block mapped ({@link #mappedBytes}). */
    long freeBlockAt(long address) {
        checkOpen();
        Block block = live.get(address);
        if (block == null || !live.remove(address, block)) {
            InvalidFreeException slice = sliceOfLiveBlock(address);
            if (slice != null) {
                throw slice;
            }
            throw new InvalidFreeException(InvalidFreeException.Reason.FOREIGN_SEGMENT, "block at 0x"
                    + Long.toHexString(address) + " is no live allocation of allocator '" + config.name()
                    + "' (never handed out, or freed already)");
        }
        freed(address, block);
        return block.mapping().byteSize();
    }

    /** Accounts for and unmaps a block that this caller removed from {@link #live}. */
    private void freed(long address, Block block) {
        requested.addAndGet(-block.requested());
        mapped.addAndGet(-block.mapping().byteSize());
        if (Debug.ALLOCATION_SITES) {
            sites.remove(address);
        }
        recentlyFreed.add(block.mapping().segment().scope());
        release(block);
    }

    /** Unmaps a block taken out of {@link #live} (by exactly one caller) and returns its charge. */
    private void release(Block block) {
        try {
            block.mapping().close();
        } finally {
            config.budget().release(block.mapping().byteSize());
        }
    }

    private InvalidFreeException notLive(MemorySegment segment) {
        long address = segment.address();
        if (!segment.scope().isAlive() && recentlyFreed.contains(segment.scope())) {
            return new InvalidFreeException(InvalidFreeException.Reason.DOUBLE_FREE, "segment at 0x"
                    + Long.toHexString(address) + " was freed already (its memory is unmapped)");
        }
        InvalidFreeException slice = sliceOfLiveBlock(address);
        if (slice != null) {
            return slice;
        }
        return new InvalidFreeException(InvalidFreeException.Reason.FOREIGN_SEGMENT, "segment at 0x"
                + Long.toHexString(address) + " of " + segment.byteSize()
                + " bytes was not handed out by allocator '" + config.name() + "'");
    }

    /** The exception for an address inside a live block (not at its start), or null if it is in none. */
    private InvalidFreeException sliceOfLiveBlock(long address) {
        Map.Entry<Long, Block> below = live.floorEntry(address);
        if (below != null && address < below.getKey() + below.getValue().mapping().byteSize()) {
            return new InvalidFreeException(InvalidFreeException.Reason.SLICE, "block at 0x"
                    + Long.toHexString(address) + " lies inside the allocation at 0x"
                    + Long.toHexString(below.getKey()));
        }
        return null;
    }

    /** Nothing to do: large blocks go back to the OS as soon as they are freed. */
    @Override
    public void trim() {
        checkOpen();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long count = 0;
        long bytes = 0;
        List<String> leakSites = Debug.ALLOCATION_SITES ? sites.summary() : List.of();
        for (Map.Entry<Long, Block> e : live.entrySet()) {
            Block b = e.getValue();
            if (live.remove(e.getKey(), b)) { // a racing free() may have taken it
                count++;
                bytes += b.requested();
                release(b);
            }
        }
        requested.set(0);
        mapped.set(0);
        if (count > 0) {
            throw new MemoryLeakException(config.name(), count, bytes, leakSites);
        }
    }

    long requestedBytes() {
        return requested.get();
    }

    long allocatedBytes() {
        return mapped.get();
    }

    long peakAllocatedBytes() {
        return peakMapped.get();
    }

    long liveAllocations() {
        return live.size();
    }

    long totalAllocations() {
        return total.get();
    }

    @Override
    public AllocatorMetrics metrics() {
        return metrics;
    }

    @Override
    public String toString() {
        return "LargeAllocator" + metrics;
    }

    private final class Metrics implements AllocatorMetrics {
        @Override
        public String name() {
            return config.name();
        }

        @Override
        public long requestedBytes() {
            return requested.get();
        }

        @Override
        public long allocatedBytes() {
            return mapped.get();
        }

        @Override
        public long committedBytes() {
            return config.budget().usedBytes();
        }

        @Override
        public long reservedBytes() {
            return mapped.get();
        }

        @Override
        public long peakCommittedBytes() {
            return config.budget().peakBytes();
        }

        @Override
        public long peakAllocatedBytes() {
            return peakMapped.get();
        }

        @Override
        public long liveAllocations() {
            return live.size();
        }

        @Override
        public long totalAllocations() {
            return total.get();
        }

        @Override
        public List<SizeClassMetrics> sizeClasses() {
            return List.of();
        }

        @Override
        public String toString() {
            return MetricsFormat.describe(this);
        }
    }
}
