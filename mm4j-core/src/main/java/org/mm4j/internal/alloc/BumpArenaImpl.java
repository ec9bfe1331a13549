package org.mm4j.internal.alloc;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.mm4j.alloc.BumpArena;
import org.mm4j.internal.os.Mapping;
import org.mm4j.internal.os.NativeMemory;

/**
 * A bump arena over a chain of mapped blocks.
 *
 * <pre>
 *   blocks:  [ block 0 ][ block 1 ][ block 2 ]...      (kept across resets, reused in order)
 *                                ^ current = blocks[index], bump offset in it
 *   mark  = (index, offset, counters)   stack of marks; reset(m) pops m and the marks above it
 * </pre>
 *
 * A request that does not fit the current block moves to the next retained block if it fits there, else
 * a new block is inserted at that place (marks never point past the current block, so no mark is
 * disturbed). The bytes left at the end of the block moved past count as block-end waste.
 *
 * <p>State is confined to the owner thread (checked on every call) or, when thread-safe, guarded by a
 * lock.
 */
@SuppressWarnings("ReferenceEquality") // threads and marks are compared by identity, by design
public final class BumpArenaImpl implements BumpArena {
    private static final long MAX_ALIGNMENT = 1L << 30;

    /** A mark: where the arena was, and its counters then. */
    public record Position(BumpArenaImpl arena, int index, long offset, long requested, long allocated,
            long waste, long count) implements BumpArena.Mark {
        @Override
        public void close() {
            arena.resetIfLive(this);
        }
    }

    private static final class Block {
        final Mapping mapping;
        final MemorySegment segment;
        final long address;
        final long size;
        /** Highest offset handed out since the block was last cleared, for scrubbing. */
        long used;
        long lastUsedNanos;
        boolean committed = true;

        Block(Mapping mapping) {
            this.mapping = mapping;
            this.segment = mapping.segment();
            this.address = mapping.address();
            this.size = mapping.byteSize();
        }
    }

    private final AllocatorConfig config;
    private final long maxBlockBytes;
    private final int growthFactor;
    private final Thread owner;
    private final ReentrantLock lock;
    private final List<Block> blocks = new ArrayList<>();
    private final List<Position> marks = new ArrayList<>();
    private final Metrics metrics = new Metrics();
    private long nextBlockBytes;

    private int index = -1;
    private MemorySegment current;
    private long currentAddress;
    private long offset;
    private long limit;

    private long requested;
    private long allocated;
    private long waste;
    private long count;
    private long totalCount;
    private long peakAllocated;
    private long reserved;
    private boolean closed;

    public BumpArenaImpl(AllocatorConfig config, long initialBlockBytes, long maxBlockBytes, int growthFactor,
            boolean threadSafe) {
        this.config = Objects.requireNonNull(config);
        this.nextBlockBytes = roundToPage(initialBlockBytes);
        this.maxBlockBytes = Math.max(roundToPage(maxBlockBytes), nextBlockBytes);
        this.growthFactor = growthFactor;
        this.owner = threadSafe ? null : Thread.currentThread();
        this.lock = threadSafe ? new ReentrantLock() : null;
    }

    private static long roundToPage(long bytes) {
        long p = NativeMemory.PAGE_SIZE;
        return (bytes + p - 1) & -p;
    }

    @Override
    public String name() {
        return config.name();
    }

    private void enter() {
        if (owner != null) {
            if (Thread.currentThread() != owner) {
                throw new WrongThreadException("bump arena '" + config.name() + "' is confined to thread "
                        + owner.getName() + "; build it threadSafe(true) to share it");
            }
        } else {
            lock.lock();
        }
        if (closed) {
            leave();
            throw new IllegalStateException("bump arena '" + config.name() + "' is closed");
        }
    }

    private void leave() {
        if (lock != null) {
            lock.unlock();
        }
    }

    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        enter();
        try {
            if (byteSize <= 0) {
                throw new IllegalArgumentException("allocation size must be positive: " + byteSize);
            }
            if (byteAlignment <= 0 || (byteAlignment & (byteAlignment - 1)) != 0 || byteAlignment > MAX_ALIGNMENT) {
                throw new IllegalArgumentException("alignment must be a power of two up to " + MAX_ALIGNMENT
                        + ": " + byteAlignment);
            }
            long start = ((currentAddress + offset + byteAlignment - 1) & -byteAlignment) - currentAddress;
            if (start > limit || byteSize > limit - start) { // no overflow for any size
                moveToBlockFor(byteSize, byteAlignment);
                start = ((currentAddress + byteAlignment - 1) & -byteAlignment) - currentAddress;
            }
            MemorySegment segment = current.asSlice(start, byteSize);
            long end = start + byteSize;
            allocated += end - offset;
            offset = end;
            requested += byteSize;
            count++;
            totalCount++;
            if (allocated > peakAllocated) {
                peakAllocated = allocated;
            }
            if (config.zeroOnAllocate()) {
                segment.fill((byte) 0);
            }
            return segment;
        } finally {
            leave();
        }
    }

    /** Makes the next block, retained or new, current; it fits the request. Changes nothing on failure. */
    private void moveToBlockFor(long byteSize, long byteAlignment) {
        int next = index + 1;
        Block b = next < blocks.size() ? blocks.get(next) : null;
        long now = System.nanoTime();
        if (b != null && !b.committed && b.size > maxBlockBytes) {
            // A decommitted block of its own (a past large request): recommitting all of it for this
            // request could be refused by the budget for no reason. Unmap it and go on as if it was not there.
            unmap(blocks.remove(next));
            b = next < blocks.size() ? blocks.get(next) : null;
        }
        if (b == null || !fits(b, byteSize, byteAlignment)) {
            b = mapBlock(byteSize, byteAlignment);
            blocks.add(next, b);
        } else if (!b.committed) {
            config.budget().reserve(b.size);
            b.committed = true;
        }
        if (current != null) {
            blocks.get(index).used = Math.max(blocks.get(index).used, offset);
            blocks.get(index).lastUsedNanos = now;
            waste += limit - offset;
        }
        b.lastUsedNanos = now;
        index = next;
        current = b.segment;
        currentAddress = b.address;
        offset = 0;
        limit = b.size;
    }

    private static boolean fits(Block b, long byteSize, long byteAlignment) {
        long start = ((b.address + byteAlignment - 1) & -byteAlignment) - b.address;
        return start <= b.size && byteSize <= b.size - start;
    }

    private Block mapBlock(long byteSize, long byteAlignment) {
        long worstPadding = byteAlignment > NativeMemory.PAGE_SIZE ? 0 : byteAlignment - 1;
        if (byteSize > Long.MAX_VALUE / 2) {
            throw new IllegalArgumentException("allocation size too large: " + byteSize);
        }
        long need = roundToPage(byteSize + worstPadding);
        boolean dedicated = need > maxBlockBytes;
        long size = dedicated ? need : Math.max(nextBlockBytes, need);
        config.budget().reserve(size);
        Mapping mapping;
        try {
            mapping = NativeMemory.map(size, Math.max(NativeMemory.PAGE_SIZE, Math.min(byteAlignment, MAX_ALIGNMENT)));
        } catch (RuntimeException | Error e) {
            config.budget().release(size);
            throw e;
        }
        reserved += size;
        if (!dedicated) {
            nextBlockBytes = Math.min(maxBlockBytes, nextBlockBytes * growthFactor);
        }
        return new Block(mapping);
    }

    @Override
    public Mark mark() {
        enter();
        try {
            Position p = new Position(this, index, offset, requested, allocated, waste, count);
            marks.add(p);
            return p;
        } finally {
            leave();
        }
    }

    @Override
    public void reset(Mark mark) {
        Objects.requireNonNull(mark, "mark");
        enter();
        try {
            if (!(mark instanceof Position p) || p.arena() != this) {
                throw new IllegalArgumentException("mark does not belong to bump arena '" + config.name() + "'");
            }
            if (!popTo(p)) {
                throw new IllegalArgumentException("mark of bump arena '" + config.name()
                        + "' was popped already, by a reset to it or to an earlier mark");
            }
        } finally {
            leave();
        }
    }

    /** For {@link Position#close()}: resets to {@code p} unless it was popped already. */
    void resetIfLive(Position p) {
        if (closed) {
            return; // closing the arena released everything already
        }
        enter();
        try {
            popTo(p);
        } finally {
            leave();
        }
    }

    /** Pops {@code p} and the marks above it and restores its position; false if it is not on the stack. */
    private boolean popTo(Position p) {
        for (int i = marks.size() - 1; i >= 0; i--) {
            if (marks.get(i) == p) {
                marks.subList(i, marks.size()).clear();
                restore(p);
                return true;
            }
        }
        return false;
    }

    @Override
    public void resetAll() {
        enter();
        try {
            marks.clear();
            restore(new Position(this, -1, 0, 0, 0, 0, 0));
        } finally {
            leave();
        }
    }

    private void restore(Position p) {
        long now = System.nanoTime();
        if (index >= 0) {
            blocks.get(index).used = Math.max(blocks.get(index).used, offset);
        }
        for (int i = Math.max(0, p.index()); i <= index; i++) {
            Block b = blocks.get(i);
            b.lastUsedNanos = now;
            long from = i == p.index() ? p.offset() : 0;
            if (config.scrubOnFree() && b.used > from) {
                b.segment.asSlice(from, b.used - from).fill((byte) 0);
            }
            b.used = Math.min(b.used, from);
        }
        index = p.index();
        if (index >= 0) {
            Block b = blocks.get(index);
            current = b.segment;
            currentAddress = b.address;
            limit = b.size;
        } else {
            current = null;
            currentAddress = 0;
            limit = 0;
        }
        offset = p.offset();
        requested = p.requested();
        allocated = p.allocated();
        waste = p.waste();
        count = p.count();
        for (int i = index + 1; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            if (b.committed && b.mapping.lazyZero() && now - b.lastUsedNanos >= config.purgeDelayNanos()) {
                b.mapping.decommit(0, b.size);
                b.committed = false;
                config.budget().release(b.size);
            }
        }
    }

    /** Unmaps every block past the current one. */
    @Override
    public void trim() {
        enter();
        try {
            while (blocks.size() > index + 1) {
                unmap(blocks.remove(blocks.size() - 1));
            }
        } finally {
            leave();
        }
    }

    private void unmap(Block b) {
        b.mapping.close();
        reserved -= b.size;
        if (b.committed) {
            config.budget().release(b.size);
        }
    }

    /** Releases every block. An arena's allocations are released in bulk by design: no leak is reported. */
    @Override
    public void close() {
        if (owner != null && Thread.currentThread() != owner) {
            throw new WrongThreadException("bump arena '" + config.name() + "' is confined to thread "
                    + owner.getName());
        }
        if (lock != null) {
            lock.lock();
        }
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (Block b : blocks) {
                unmap(b);
            }
            blocks.clear();
            marks.clear();
            index = -1;
            current = null;
            limit = 0;
            offset = 0;
            requested = 0;
            allocated = 0;
            count = 0;
        } finally {
            leave();
        }
    }

    @Override
    public BumpArenaMetrics metrics() {
        return metrics;
    }

    @Override
    public String toString() {
        return "BumpArena" + metrics;
    }

    private final class Metrics implements BumpArenaMetrics {
        @Override
        public String name() {
            return config.name();
        }

        @Override
        public long requestedBytes() {
            return requested;
        }

        @Override
        public long allocatedBytes() {
            return allocated;
        }

        @Override
        public long committedBytes() {
            return config.budget().usedBytes();
        }

        @Override
        public long reservedBytes() {
            return reserved;
        }

        @Override
        public long peakCommittedBytes() {
            return config.budget().peakBytes();
        }

        @Override
        public long peakAllocatedBytes() {
            return peakAllocated;
        }

        @Override
        public long liveAllocations() {
            return count;
        }

        @Override
        public long totalAllocations() {
            return totalCount;
        }

        @Override
        public List<SizeClassMetrics> sizeClasses() {
            return List.of();
        }

        @Override
        public int blocks() {
            return blocks.size();
        }

        @Override
        public long blockEndWasteBytes() {
            return waste;
        }

        @Override
        public String toString() {
            return MetricsFormat.describe(this);
        }
    }
}
