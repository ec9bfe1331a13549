package org.mm4j.internal.alloc;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.mm4j.alloc.AllocatorMetrics;
import org.mm4j.alloc.AllocatorMetrics.SizeClassMetrics;
import org.mm4j.alloc.InvalidFreeException;
import org.mm4j.alloc.MemoryLeakException;
import org.mm4j.internal.Debug;
import org.mm4j.internal.os.Mapping;
import org.mm4j.internal.os.NativeMemory;

/**
 * The engine shared by the size-class and slab allocators: chunks of 4 MiB carved into pages of one
 * slot size each, thread-local heaps of pages, lock-free remote frees.
 *
 * <h2>Layers of state</h2>
 * <ul>
 *   <li>Per thread ({@link ThreadHeap}): current, available, spare and full pages, and counters. No
 *       lock: only the owning thread touches them (virtual threads share striped heaps under a lock).</li>
 *   <li>Per page ({@link Page}): slot bitmaps; the remote-free bitmap is the only part other threads
 *       write, with atomic OR.</li>
 *   <li>Per allocator, under {@link #lock}: the chunks and their unit masks, the registry of heaps,
 *       committed-byte accounting, the purge schedule. Taken once per page (every 8 to 8192
 *       allocations), never per allocation.</li>
 * </ul>
 *
 * <h2>Giving memory back</h2>
 * An empty page beyond a heap's one spare per class goes back to its chunk; its units stay committed
 * until the purge delay has passed, then are decommitted with madvise (cheap to reuse, zero physical
 * memory). Purging runs on the allocator's slow paths and on {@link #trim()}; chunks left empty and
 * purged are unmapped, keeping one to spare the OS calls when memory is needed again.
 *
 * <h2>Threads that end</h2>
 * Every 16th page request (and every 8th new heap) checks the registry for heaps whose thread is no
 * longer alive ({@link Thread#isAlive()} returning false happens-after everything the thread did). The
 * requesting thread's heap adopts their pages: see {@link ThreadHeap#adopt}.
 */
@SuppressWarnings("ReferenceEquality") // threads are compared by identity, by design
public abstract sealed class PagedAllocator permits SizeClassAllocatorImpl, SlabAllocatorImpl {
    private static final int RETAINED_EMPTY_CHUNKS = 1;
    private static final long DEAD_HEAP_CHECK_NANOS = 1_000_000;
    private static final int HEAP_CACHE_SIZE = 256;

    final AllocatorConfig config;
    final PageClass[] classes;
    private final ThreadLocal<ThreadHeap> heapOfThread = ThreadLocal.withInitial(this::heapForNewThread);
    /**
     * A direct-mapped cache in front of {@link #heapOfThread}, indexed by thread id: a hit costs two
     * loads and a compare, a {@code ThreadLocal} lookup several times that. Written without
     * synchronization on a miss; a reader that sees another thread's heap (or a stale one) fails the
     * owner check and takes the slow path, and {@link ThreadHeap#owner} is final, so a heap seen through
     * a racy read has its owner visible. Virtual threads never hit (their shared heaps have no owner).
     */
    private final ThreadHeap[] heapCache = new ThreadHeap[HEAP_CACHE_SIZE];
    private final ThreadHeap[] stripes;
    private final AllocationSites sites = Debug.ALLOCATION_SITES ? new AllocationSites() : null;
    private final boolean scrub;
    private final boolean zero;
    /** Whether chunks are advised to use transparent huge pages. */
    private final boolean hugePages;

    final ReentrantLock lock = new ReentrantLock();
    private final List<Chunk> chunks = new ArrayList<>();
    private final List<Chunk> partialChunks = new ArrayList<>();
    private final List<ThreadHeap> heaps = new ArrayList<>();
    private final int[] pagesPerClass;
    /** Per class: allocations made from pages that were released since. Guarded by the lock. */
    private final long[] releasedPageAllocations;
    /** Requested-byte balance of heaps whose threads ended. Guarded by the lock. */
    private long retiredRequested;
    /** Bytes of this allocator's units committed and charged to its budget. Written under the lock. */
    private volatile long pageCommittedBytes;
    /** Bitmap mappings of chunks unmapped, for the next chunks (see {@link Chunk}). Guarded by the lock. */
    private final ArrayDeque<Mapping> spareMeta = new ArrayDeque<>();
    private long peakAllocated;
    private int nextPeakSampleAtPages;
    private long lastPurgeNanos;
    private long lastDeadCheckNanos;
    private long pageRequests;
    /**
     * Set under {@link #lock} by {@link #close}; read without it on the fast paths. A plain field on
     * purpose: a volatile read costs a free about a fifth of its time. Use after close is a program
     * error that must be reported, and it is, whenever the close happened-before the use (the same
     * thread, or any synchronized hand-over); the slow paths re-read it under the lock. An allocation
     * racing with close on another thread may pass the check, find its heap detached and fail there.
     */
    private boolean closed;

    PagedAllocator(AllocatorConfig config, PageClass[] classes, boolean hugePages) {
        this.config = Objects.requireNonNull(config);
        this.classes = classes;
        this.hugePages = hugePages;
        this.stripes = new ThreadHeap[Math.max(1, Runtime.getRuntime().availableProcessors())];
        this.pagesPerClass = new int[classes.length];
        this.releasedPageAllocations = new long[classes.length];
        this.scrub = config.scrubOnFree();
        this.zero = config.zeroOnAllocate();
    }

    public final String name() {
        return config.name();
    }

    final void checkOpen() {
        if (closed) {
            throw new IllegalStateException("allocator '" + config.name() + "' is closed");
        }
    }

    static void checkAlignment(long byteAlignment) {
        if (byteAlignment <= 0 || Long.bitCount(byteAlignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two: " + byteAlignment);
        }
    }

    static void checkSize(long byteSize) {
        if (byteSize <= 0) {
            throw new IllegalArgumentException("allocation size must be positive: " + byteSize);
        }
    }

    /**
     * Every thread's heap, under its lock, once {@link #useOneHeap} was called; else null. A plain field:
     * set before the allocator is shared with other threads.
     */
    private ThreadHeap oneHeap;

    /**
     * From now on, every thread allocates from one heap, under its lock, instead of a heap of its own.
     * For an allocator whose blocks are allocated and freed by whichever thread happens to run a task
     * for all (a collector's pauses and sweeps): with a heap per thread, slots freed into pages of a
     * thread that no longer allocates would never be reused. Call before sharing the allocator.
     */
    public final void useOneHeap() {
        lock.lock();
        try {
            checkOpen();
            if (oneHeap == null) {
                oneHeap = new ThreadHeap(this, null, classes.length);
                heaps.add(oneHeap);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The calling thread's heap (for a virtual thread, its stripe's shared heap). */
    final ThreadHeap heapOfCurrentThread() {
        ThreadHeap one = oneHeap;
        if (one != null) {
            return one;
        }
        Thread t = Thread.currentThread();
        ThreadHeap h = heapCache[(int) t.threadId() & (HEAP_CACHE_SIZE - 1)];
        if (h != null && h.owner == t) {
            return h;
        }
        return heapOfCurrentThreadSlow(t);
    }

    private ThreadHeap heapOfCurrentThreadSlow(Thread t) {
        ThreadHeap h = heapOfThread.get();
        if (h.owner == t) {
            heapCache[(int) t.threadId() & (HEAP_CACHE_SIZE - 1)] = h;
        }
        return h;
    }

    /** Allocates a slot of class {@code cls} for {@code size} bytes from the calling thread's heap. */
    final MemorySegment allocateInClass(int cls, long size) {
        ThreadHeap h = heapOfCurrentThread();
        if (h.lock == null && !zero && !Debug.ALLOCATION_SITES) {
            return h.allocateSegment(cls, size); // the common case, kept small enough to inline
        }
        long address = allocateInClassSlow(h, cls, size);
        return slotSegment(address, size);
    }

    /**
     * Allocates a whole slot of class {@code cls} from the calling thread's heap and returns its address;
     * the slot's size counts as requested.
     */
    final long allocateAddressInClass(int cls) {
        ThreadHeap h = heapOfCurrentThread();
        if (h.lock == null && !zero && !Debug.ALLOCATION_SITES) {
            return h.allocate(cls, ThreadHeap.WHOLE_SLOT); // the common case, kept small enough to inline
        }
        return allocateInClassSlow(h, cls, classes[cls].slotSize);
    }

    private long allocateInClassSlow(ThreadHeap h, int cls, long size) {
        long address;
        if (h.lock == null) {
            address = h.allocate(cls, size);
        } else {
            h.lockShared();
            try {
                address = h.allocate(cls, size);
            } finally {
                h.lock.unlock();
            }
        }
        if (zero) {
            slotSegment(address, size).fill((byte) 0);
        }
        if (Debug.ALLOCATION_SITES) {
            sites.record(address);
        }
        return address;
    }

    /** A segment of {@code size} bytes at {@code address}, a slot of a live page of this allocator. */
    private static MemorySegment slotSegment(long address, long size) {
        Chunk chunk = ChunkRegistry.lookup(address);
        return chunk.segment.asSlice(address - chunk.address, size);
    }

    /**
     * Frees {@code segment}. Segments of chunks this allocator does not own are passed to
     * {@link #freeUnowned}.
     */
    public final void free(MemorySegment segment) {
        long address = segment.address(); // throws NullPointerException for null
        checkOpen();
        Page page = livePageOf(address);
        if (page == null) {
            freeNotInLivePage(segment, ChunkRegistry.lookup(address));
            return;
        }
        freeInPage(page, address, segment.byteSize());
    }

    /**
     * Frees the block at {@code address}, returned by {@code allocateAddress}. Addresses in no chunk of
     * this allocator are passed to {@link #freeUnownedAddress}.
     */
    public final void freeAddress(long address) {
        checkOpen();
        freeBlockAt(address);
    }

    /** As {@link #freeAddress}, open checked; returns the bytes the block took (its slot, or its mapping). */
    private long freeBlockAt(long address) {
        Page page = livePageOf(address);
        if (page == null) {
            Chunk chunk = ChunkRegistry.lookup(address);
            if (chunk == null || chunk.owner != this) {
                return freeUnownedAddress(address, chunk);
            }
            throw notInLivePage(address);
        }
        long size = page.cls.slotSize;
        freeInPage(page, address, size);
        return size;
    }

    /**
     * The most blocks {@link #freeAddresses} frees in one hold of the shared heap's lock: a few
     * microseconds, after which a thread waiting for the lock takes it ({@link ThreadHeap#letWaitersIn}), so
     * that a thread allocating meanwhile waits about that long, not for the whole batch.
     */
    static final int FREES_PER_HOLD = 64;

    /**
     * Frees the blocks at {@code addresses[0, count)}, each returned by {@code allocateAddress}, as
     * {@link #freeAddress} would one by one. With {@link #useOneHeap}, under the heap's lock (one hold per
     * {@link #FREES_PER_HOLD} blocks), each as a local free: no atomic instruction per block, where a free
     * from outside the lock takes the remote path (an atomic OR, later collected by the allocating thread).
     * An invalid address stops it with the exception {@code freeAddress} throws; the blocks before it are
     * freed, it and the rest not.
     * Returns the bytes the blocks took: their slots' sizes, and a large block's mapping (so that a caller
     * that counts its blocks this way need not read their sizes from the blocks themselves).
     */
    public final long freeAddresses(long[] addresses, int count) {
        Objects.checkFromIndexSize(0, count, addresses.length);
        checkOpen();
        long bytes = 0;
        ThreadHeap one = oneHeap;
        if (one == null || scrub || Debug.ALLOCATION_SITES) {
            for (int i = 0; i < count; i++) {
                bytes += freeBlockAt(addresses[i]);
            }
            return bytes;
        }
        for (int i = 0; i < count; ) {
            int end = Math.min(count, i + FREES_PER_HOLD);
            if (i > 0) {
                one.letWaitersIn();
            }
            one.lockShared();
            try {
                for (; i < end; i++) {
                    long address = addresses[i];
                    Page page = livePageOf(address);
                    if (page == null || page.heap != one) {
                        bytes += freeBlockAt(address); // a large block, or an invalid address: its exception
                        continue;
                    }
                    long size = page.cls.slotSize;
                    one.freeLocal(page, page.slotOf(address, address - page.address, size), address, size);
                    bytes += size;
                }
            } finally {
                one.lock.unlock();
            }
        }
        return bytes;
    }

    /** The live page of this allocator that holds {@code address}, or null. */
    Page livePageOf(long address) {
        Chunk chunk = ChunkRegistry.lookup(address);
        return chunk == null || chunk.owner != this
                ? null : chunk.pages[(int) ((address - chunk.address) >>> Chunk.UNIT_SHIFT)];
    }

    /** Frees the block of {@code size} requested bytes at {@code address} in {@code page}. */
    private void freeInPage(Page page, long address, long size) {
        int slot = page.slotOf(address, address - page.address, size);
        ThreadHeap owner = page.heap;
        if (owner.owner == Thread.currentThread() && !scrub && !Debug.ALLOCATION_SITES) {
            owner.freeLocal(page, slot, address, size); // the common case, kept small enough to inline
            return;
        }
        freeSlow(page, slot, address, size);
    }

    private void freeNotInLivePage(MemorySegment segment, Chunk chunk) {
        if (chunk == null || chunk.owner != this) {
            freeUnowned(segment, chunk);
            return;
        }
        throw notInLivePage(segment.address());
    }

    private InvalidFreeException notInLivePage(long address) {
        return new InvalidFreeException(InvalidFreeException.Reason.DOUBLE_FREE, "block at 0x"
                + Long.toHexString(address) + " is in no live page of allocator '" + name()
                + "' (freed already)");
    }

    private void freeSlow(Page page, int slot, long address, long size) {
        if (Debug.ALLOCATION_SITES && page.isAllocated(slot)) {
            sites.remove(address); // before the slot can be handed out and recorded again
        }
        if (scrub) {
            if (!page.isAllocated(slot)) {
                throw Page.doubleFree(address);
            }
            page.segment.asSlice(address - page.address, page.cls.slotSize).fill((byte) 0);
        }
        ThreadHeap owner = page.heap;
        if (owner.owner == Thread.currentThread()) {
            owner.freeLocal(page, slot, address, size);
        } else {
            if (page.freeRemote(slot, address)) {
                ThreadHeap.pushRemote(page);
            }
            ThreadHeap mine = heapOfCurrentThread();
            if (mine.lock == null) {
                mine.countFree(size);
            } else {
                mine.lockShared();
                try {
                    mine.countFree(size);
                } finally {
                    mine.lock.unlock();
                }
            }
        }
    }

    /** Frees a segment whose chunk is not this allocator's ({@code chunk} null: in no chunk at all). */
    abstract void freeUnowned(MemorySegment segment, Chunk chunk);

    /**
     * Frees an address whose chunk is not this allocator's ({@code chunk} null: in no chunk at all); returns
     * the bytes the block took.
     */
    abstract long freeUnownedAddress(long address, Chunk chunk);

    static InvalidFreeException foreign(long address, Chunk chunk, String allocatorName) {
        String whose = chunk == null ? "not allocated by mm4j's paged allocators"
                : "allocated by another allocator ('" + chunk.owner.name() + "')";
        return new InvalidFreeException(InvalidFreeException.Reason.FOREIGN_SEGMENT, "block at 0x"
                + Long.toHexString(address) + " was not handed out by allocator '" + allocatorName + "': " + whose);
    }

    private ThreadHeap heapForNewThread() {
        Thread t = Thread.currentThread();
        lock.lock();
        try {
            checkOpen();
            if (t.isVirtual()) {
                int i = (int) (t.threadId() % stripes.length);
                if (stripes[i] == null) {
                    stripes[i] = new ThreadHeap(this, null, classes.length);
                    heaps.add(stripes[i]);
                }
                return stripes[i];
            }
            ThreadHeap h = new ThreadHeap(this, t, classes.length);
            heaps.add(h);
            if ((heaps.size() & 7) == 0) {
                reclaimDeadHeaps(h);
            }
            return h;
        } finally {
            lock.unlock();
        }
    }

    /** Lock held; {@code adopter} is owned by the calling thread (or its lock is held). */
    private void reclaimDeadHeaps(ThreadHeap adopter) {
        lastDeadCheckNanos = System.nanoTime();
        for (Iterator<ThreadHeap> it = heaps.iterator(); it.hasNext(); ) {
            ThreadHeap dead = it.next();
            if (dead == adopter || dead.owner == null || dead.owner.isAlive()) {
                continue;
            }
            retiredRequested += dead.requestedBytes;
            it.remove();
            adopter.adopt(dead);
            int slot = (int) dead.owner.threadId() & (HEAP_CACHE_SIZE - 1);
            if (heapCache[slot] == dead) {
                heapCache[slot] = null; // let the dead heap be collected
            }
        }
    }

    /**
     * A page with free slots for {@code heap}'s class {@code cls}: adopted from a dead thread's heap, or
     * carved from a chunk. Throws {@link org.mm4j.os.MemoryLimitExceededException}, changing nothing, if
     * the budget has no room for a new page.
     */
    final Page newPage(ThreadHeap heap, int cls) {
        lock.lock();
        try {
            checkOpen();
            long now = System.nanoTime();
            if (heaps.size() > 1 && ((++pageRequests & 15) == 0 || now - lastDeadCheckNanos > DEAD_HEAP_CHECK_NANOS)) {
                reclaimDeadHeaps(heap);
                Page adopted = heap.available[cls].pollFirst();
                if (adopted == null && heap.spare[cls] != null) {
                    adopted = heap.spare[cls];
                    heap.spare[cls] = null;
                }
                if (adopted != null) {
                    return adopted;
                }
            }
            PageClass pc = classes[cls];
            Page page = null;
            // Units still committed cost no budget: look for a committed run in every chunk first.
            for (int pass = 0; pass < 2 && page == null; pass++) {
                for (int i = partialChunks.size() - 1; i >= 0 && page == null; i--) {
                    Chunk c = partialChunks.get(i);
                    int unit = pass == 0 ? c.findCommittedRun(pc.units) : c.findRun(pc.units);
                    if (unit >= 0) {
                        page = carve(c, unit, pc, heap, 0);
                    }
                }
            }
            if (page == null) {
                config.budget().reserve(pc.pageBytes()); // before mapping: a refusal changes nothing
                Chunk c;
                try {
                    c = mapChunk();
                } catch (RuntimeException | Error e) {
                    config.budget().release(pc.pageBytes());
                    throw e;
                }
                page = carve(c, 0, pc, heap, pc.pageBytes());
            }
            sampleAllocatedPeak();
            maybePurge(now);
            return page;
        } finally {
            lock.unlock();
        }
    }

    private Chunk mapChunk() {
        Mapping meta = spareMeta.isEmpty()
                ? NativeMemory.map(NativeMemory.pageAligned(Chunk.META_BYTES), NativeMemory.PAGE_SIZE)
                : spareMeta.pop();
        Chunk c;
        try {
            c = new Chunk(NativeMemory.map(Chunk.SIZE, Chunk.SIZE), meta, this);
            if (hugePages) {
                NativeMemory.adviseHugePagesOrUnmap(c.mapping);
            }
        } catch (RuntimeException | Error e) {
            spareMeta.push(meta);
            throw e;
        }
        if (!c.mapping.lazyZero()) {
            // The portable fallback commits the whole chunk when it maps it, and cannot decommit.
            try {
                config.budget().reserve(Chunk.SIZE);
            } catch (RuntimeException e) {
                c.mapping.close();
                spareMeta.push(meta);
                throw e;
            }
            c.committedFree = -1L;
            pageCommittedBytes += Chunk.SIZE;
        }
        ChunkRegistry.register(c);
        chunks.add(c);
        addPartial(c);
        return c;
    }

    /** Lock held. Makes a page of units [unit, unit + pc.units); {@code charged} bytes are reserved already. */
    private Page carve(Chunk chunk, int unit, PageClass pc, ThreadHeap heap, long charged) {
        long mask = Chunk.mask(unit, pc.units);
        long commit = (long) Long.bitCount(mask & ~chunk.committedFree) << Chunk.UNIT_SHIFT;
        if (commit > charged) {
            config.budget().reserve(commit - charged);
        } else if (commit < charged) {
            config.budget().release(charged - commit);
        }
        pageCommittedBytes += commit;
        chunk.freeUnits &= ~mask;
        chunk.committedFree &= ~mask;
        if (chunk.freeUnits == 0) {
            removePartial(chunk);
        }
        Page page = heap.takeReleased(pc.index);
        if (page == null) {
            page = new Page(chunk, unit, pc, heap);
        } else {
            page.moveTo(chunk, unit);
        }
        for (int u = unit; u < unit + pc.units; u++) {
            chunk.pages[u] = page;
        }
        pagesPerClass[pc.index]++;
        return page;
    }

    /** Takes back an empty page from its owner. */
    final void releasePage(Page page) {
        lock.lock();
        try {
            Chunk c = page.chunk;
            long mask = Chunk.mask(page.firstUnit, page.cls.units);
            for (int u = page.firstUnit; u < page.firstUnit + page.cls.units; u++) {
                c.pages[u] = null;
            }
            if (c.freeUnits == 0) {
                addPartial(c);
            }
            long now = System.nanoTime();
            for (int u = page.firstUnit; u < page.firstUnit + page.cls.units; u++) {
                c.freedAt[u] = now; // each unit waits its own delay: none is purged early, none starved
            }
            c.freeUnits |= mask;
            c.committedFree |= mask;
            pagesPerClass[page.cls.index]--;
            releasedPageAllocations[page.cls.index] += page.allocations;
            page.detach();
            if (config.purgeDelayNanos() == 0) {
                purge(now, false);
            } else {
                maybePurge(now);
            }
        } finally {
            lock.unlock();
        }
    }

    private void addPartial(Chunk c) {
        if (c.partialIndex < 0) {
            c.partialIndex = partialChunks.size();
            partialChunks.add(c);
        }
    }

    private void removePartial(Chunk c) {
        int i = c.partialIndex;
        if (i >= 0) {
            Chunk last = partialChunks.remove(partialChunks.size() - 1);
            if (last != c) {
                partialChunks.set(i, last);
                last.partialIndex = i;
            }
            c.partialIndex = -1;
        }
    }

    private void maybePurge(long now) {
        if (now - lastPurgeNanos >= config.purgeDelayNanos()) {
            lastPurgeNanos = now;
            purge(now, false);
        }
    }

    /**
     * Lock held. Decommits free units whose delay has passed ({@code all}: every free unit), then unmaps
     * empty chunks beyond the retained one ({@code all}: every empty chunk).
     */
    private void purge(long now, boolean all) {
        int emptyKept = 0;
        for (Iterator<Chunk> it = chunks.iterator(); it.hasNext(); ) {
            Chunk c = it.next();
            long due = all ? c.committedFree : c.dueForPurge(now, config.purgeDelayNanos());
            if (!c.mapping.lazyZero()) {
                // Portable fallback: memory cannot be decommitted, only unmapped with its chunk.
                if (c.isEmpty() && due == c.committedFree && (all || emptyKept++ >= RETAINED_EMPTY_CHUNKS)) {
                    long bytes = (long) Long.bitCount(c.committedFree) << Chunk.UNIT_SHIFT;
                    pageCommittedBytes -= bytes;
                    config.budget().release(bytes);
                    it.remove();
                    removePartial(c);
                    unmap(c);
                }
                continue;
            }
            if (due != 0) {
                long dirty = due;
                while (dirty != 0) {
                    int start = Long.numberOfTrailingZeros(dirty);
                    int len = Long.numberOfTrailingZeros(~(dirty >>> start));
                    if (start + len > 64) {
                        len = 64 - start;
                    }
                    c.mapping.decommit((long) start << Chunk.UNIT_SHIFT, (long) len << Chunk.UNIT_SHIFT);
                    dirty &= ~Chunk.mask(start, len);
                }
                long bytes = (long) Long.bitCount(due) << Chunk.UNIT_SHIFT;
                c.committedFree &= ~due;
                pageCommittedBytes -= bytes;
                config.budget().release(bytes);
            }
            if (c.isEmpty() && c.committedFree == 0 && (all || emptyKept++ >= RETAINED_EMPTY_CHUNKS)) {
                it.remove();
                removePartial(c);
                unmap(c);
            }
        }
    }

    /** Bitmap mappings kept for the next chunks (tests). */
    final int spareBitmapMappings() {
        lock.lock();
        try {
            return spareMeta.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Lock held, the chunk out of every list: unmaps it and keeps its bitmap mapping, decommitted, for the
     * next chunk (see {@link Chunk}).
     */
    private void unmap(Chunk c) {
        ChunkRegistry.unregister(c);
        c.mapping.close();
        c.meta.decommit(0, c.meta.byteSize());
        spareMeta.push(c.meta);
    }

    /**
     * Gives back the empty pages of the calling thread's heap, of the heaps of threads that ended and of
     * the virtual threads' shared heaps, then every purgeable unit and empty chunk, now.
     */
    public void trim() {
        checkOpen();
        ThreadHeap h = heapOfCurrentThread();
        for (ThreadHeap stripe : stripes) {
            if (stripe != null && stripe != h) {
                trimHeap(stripe, false);
            }
        }
        trimHeap(h, true);
    }

    /** Trims one heap the calling thread may use; lock order everywhere: a shared heap's lock, then the allocator's. */
    private void trimHeap(ThreadHeap h, boolean reclaimAndPurge) {
        if (h.lock != null) {
            h.lock.lock();
        }
        try {
            lock.lock();
            try {
                if (reclaimAndPurge) {
                    reclaimDeadHeaps(h);
                }
                h.releaseEmptyPages();
                if (reclaimAndPurge) {
                    purge(System.nanoTime(), true);
                }
            } finally {
                lock.unlock();
            }
        } finally {
            if (h.lock != null) {
                h.lock.unlock();
            }
        }
    }

    // ---- for an owner that can stop every thread using this allocator (the managed heap's collector)

    /**
     * Withdraws from allocation every page of a multi-slot class whose share of used slots is below
     * {@code maxOccupancy}, and returns them as sorted triples {@code start, end, slot size}: each page's
     * slots are at {@code start + k * slotSize} below {@code end}. Objects in those pages can then be
     * moved out (allocations no longer land there, until frees make them available again) and the pages,
     * once empty, go back to their chunks.
     *
     * <p>Only while no other thread uses this allocator: it files pages of every thread's heap. The
     * caller's own synchronization (the heap's stop-the-world protocol) orders it with their use.
     */
    public final long[] withdrawSparsePages(double maxOccupancy) {
        lock.lock();
        try {
            for (ThreadHeap h : heaps) {
                h.collectRemoteFrees(); // so that each page's count of used slots is exact
            }
            List<Page> sparse = new ArrayList<>();
            for (Chunk c : chunks) {
                for (int u = 0; u < Chunk.UNITS; u++) {
                    Page p = c.pages[u];
                    if (p != null && p.firstUnit == u && p.cls.slotCount > 1 && p.state != Page.SPARE
                            && p.state != Page.RELEASED && p.used < p.cls.slotCount * maxOccupancy) {
                        sparse.add(p);
                    }
                }
            }
            sparse.sort(java.util.Comparator.comparingLong(p -> p.address));
            long[] ranges = new long[sparse.size() * 3];
            for (int i = 0; i < sparse.size(); i++) {
                Page p = sparse.get(i);
                p.heap.withdraw(p);
                ranges[3 * i] = p.address;
                ranges[3 * i + 1] = p.address + p.cls.pageBytes();
                ranges[3 * i + 2] = p.cls.slotSize;
            }
            return ranges;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Collects every heap's remote frees, releases their empty pages and purges every free unit: what
     * each thread's own slow path would do, done now for all of them. Only while no other thread uses
     * this allocator (as {@link #withdrawSparsePages}).
     */
    public final void reclaimAll() {
        lock.lock();
        try {
            for (ThreadHeap h : heaps) {
                h.releaseEmptyPages();
            }
            purge(System.nanoTime(), true);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Lock held. Samples allocated bytes for the peak as the allocator grows: whenever the pages in use
     * pass the last sample by a sixteenth (at least 16 pages), so the walk over the pages stays a small
     * fraction of the cost of requesting them.
     */
    private void sampleAllocatedPeak() {
        int pages = 0;
        for (int n : pagesPerClass) {
            pages += n;
        }
        if (pages < nextPeakSampleAtPages) {
            return;
        }
        nextPeakSampleAtPages = pages + Math.max(16, pages / 16);
        peakAllocated = Math.max(peakAllocated, pagedAllocatedBytes());
    }

    /**
     * Releases everything; then throws {@link MemoryLeakException} if allocations were live.
     * {@code closeMore} releases what a subclass owns besides pages and returns its own leak, if any.
     */
    final void closePages(Runnable closeMore) {
        long leakedCount;
        long leakedBytes;
        List<String> leakSites;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            leakedCount = pagedLiveAllocations();
            leakedBytes = pagedRequestedBytes();
            leakSites = Debug.ALLOCATION_SITES ? sites.summary() : List.of();
            for (ThreadHeap h : heaps) {
                h.allocator = null;
            }
            heaps.clear();
            java.util.Arrays.fill(heapCache, null);
            for (Chunk c : chunks) {
                ChunkRegistry.unregister(c);
                c.mapping.close();
                c.meta.close();
            }
            while (!spareMeta.isEmpty()) {
                spareMeta.pop().close();
            }
            chunks.clear();
            partialChunks.clear();
            config.budget().release(pageCommittedBytes);
            pageCommittedBytes = 0;
            retiredRequested = 0;
        } finally {
            lock.unlock();
        }
        MemoryLeakException more = null;
        try {
            closeMore.run();
        } catch (MemoryLeakException e) {
            more = e;
        }
        if (leakedCount > 0 || more != null) {
            long count = leakedCount + (more == null ? 0 : more.leakedAllocations());
            long bytes = leakedBytes + (more == null ? 0 : more.leakedBytes());
            List<String> all = new ArrayList<>(leakSites);
            if (more != null) {
                all.addAll(more.allocationSites());
            }
            throw new MemoryLeakException(name(), count, bytes, all);
        }
    }

    /**
     * Verifies the allocator's structure: every page of every chunk is owned by a registered heap and
     * filed where its state says, no page is filed twice, bitmaps agree with counters, and the chunks'
     * unit masks agree with their pages. For tests and debugging; call it while no other thread
     * allocates or frees. Throws {@link IllegalStateException} naming the first inconsistency.
     */
    public final void verify() {
        lock.lock();
        try {
            for (ThreadHeap h : heaps) {
                if (h.lock != null) {
                    h.lock.lock();
                }
                try {
                    String problem = h.inconsistency();
                    if (problem != null) {
                        throw new IllegalStateException("allocator '" + name() + "': " + problem);
                    }
                } finally {
                    if (h.lock != null) {
                        h.lock.unlock();
                    }
                }
            }
            java.util.Set<ThreadHeap> registered = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            registered.addAll(heaps);
            int[] pages = new int[classes.length];
            for (Chunk c : chunks) {
                long inPages = 0;
                for (int u = 0; u < Chunk.UNITS; u++) {
                    Page p = c.pages[u];
                    if (p == null) {
                        continue;
                    }
                    inPages |= 1L << u;
                    if (p.firstUnit == u) {
                        pages[p.cls.index]++;
                        if (!registered.contains(p.heap)) {
                            throw new IllegalStateException("allocator '" + name() + "': page at 0x"
                                    + Long.toHexString(p.address) + " belongs to no registered heap");
                        }
                    }
                }
                if (inPages != ~c.freeUnits) {
                    throw new IllegalStateException("allocator '" + name() + "': chunk at 0x"
                            + Long.toHexString(c.address) + " has unit masks that disagree with its pages");
                }
                if ((c.committedFree & ~c.freeUnits) != 0) {
                    throw new IllegalStateException("allocator '" + name() + "': chunk at 0x"
                            + Long.toHexString(c.address) + " counts units in pages as committed free");
                }
            }
            if (!java.util.Arrays.equals(pages, pagesPerClass)) {
                throw new IllegalStateException("allocator '" + name() + "': pages per class "
                        + java.util.Arrays.toString(pagesPerClass) + " but the chunks hold "
                        + java.util.Arrays.toString(pages));
            }
        } finally {
            lock.unlock();
        }
    }

    final boolean isClosed() {
        return closed;
    }

    // ---- statistics: counts from the pages, requested bytes from the heaps. Owner-written fields are
    // read without synchronization, so the figures are exact only while the allocator is quiescent.

    /** Per class: live slots, allocations ever made, and pages; one walk over every live page. */
    private record ClassCounts(long[] live, long[] total, int[] pages) {}

    private ClassCounts classCounts() {
        lock.lock();
        try {
            long[] live = new long[classes.length];
            long[] total = releasedPageAllocations.clone();
            for (Chunk chunk : chunks) {
                for (int u = 0; u < Chunk.UNITS; u++) {
                    Page p = chunk.pages[u];
                    if (p != null && p.firstUnit == u) {
                        live[p.cls.index] += p.usedSlots() - p.pendingRemote();
                        total[p.cls.index] += p.allocations;
                    }
                }
            }
            return new ClassCounts(live, total, pagesPerClass.clone());
        } finally {
            lock.unlock();
        }
    }

    final long pagedLiveAllocations() {
        long live = 0;
        for (long n : classCounts().live()) {
            live += n;
        }
        return live;
    }

    final long pagedTotalAllocations() {
        long total = 0;
        for (long n : classCounts().total()) {
            total += n;
        }
        return total;
    }

    final long pagedRequestedBytes() {
        lock.lock();
        try {
            long bytes = retiredRequested;
            for (ThreadHeap h : heaps) {
                bytes += h.requestedBytes;
            }
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    final long pagedAllocatedBytes() {
        long[] live = classCounts().live();
        long bytes = 0;
        for (int c = 0; c < classes.length; c++) {
            bytes += live[c] * classes[c].slotSize;
        }
        return bytes;
    }

    final long pagedReservedBytes() {
        lock.lock();
        try {
            return chunks.size() * Chunk.SIZE;
        } finally {
            lock.unlock();
        }
    }

    final long pagedPeakAllocatedBytes() {
        lock.lock();
        try {
            return Math.max(peakAllocated, pagedAllocatedBytes());
        } finally {
            lock.unlock();
        }
    }

    final List<SizeClassMetrics> classMetrics() {
        ClassCounts counts = classCounts();
        List<SizeClassMetrics> out = new ArrayList<>();
        for (int c = 0; c < classes.length; c++) {
            if (counts.total()[c] > 0 || counts.pages()[c] > 0) {
                out.add(new SizeClassMetrics(classes[c].slotSize, counts.live()[c], counts.total()[c],
                        counts.pages()[c], counts.pages()[c] * classes[c].pageBytes()));
            }
        }
        return out;
    }

    /**
     * Bytes of this allocator's pages that are committed: what it charges its budget, which other owners
     * may share (a managed heap's budget pays for its handle table and nursery too). Read without the lock.
     */
    final long pagesCommittedBytes() {
        return pageCommittedBytes;
    }

    /** Metrics of the paged part alone; subclasses add what else they own. */
    class PagedMetrics implements AllocatorMetrics {
        @Override
        public String name() {
            return config.name();
        }

        @Override
        public long requestedBytes() {
            return pagedRequestedBytes();
        }

        @Override
        public long allocatedBytes() {
            return pagedAllocatedBytes();
        }

        @Override
        public long committedBytes() {
            return config.budget().usedBytes();
        }

        @Override
        public long reservedBytes() {
            return pagedReservedBytes();
        }

        @Override
        public long peakCommittedBytes() {
            return config.budget().peakBytes();
        }

        @Override
        public long peakAllocatedBytes() {
            return pagedPeakAllocatedBytes();
        }

        @Override
        public long liveAllocations() {
            return pagedLiveAllocations();
        }

        @Override
        public long totalAllocations() {
            return pagedTotalAllocations();
        }

        @Override
        public List<SizeClassMetrics> sizeClasses() {
            return classMetrics();
        }

        @Override
        public String toString() {
            return MetricsFormat.describe(this);
        }
    }
}
