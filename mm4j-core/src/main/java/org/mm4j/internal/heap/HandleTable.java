package org.mm4j.internal.heap;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;
import org.mm4j.heap.HandleSpaceExhaustedException;
import org.mm4j.heap.StaleHandleException;
import org.mm4j.internal.Debug;
import org.mm4j.internal.os.Mapping;
import org.mm4j.internal.os.NativeMemory;
import org.mm4j.os.MemoryBudget;
import org.mm4j.os.MemoryLimitExceededException;

/**
 * The handle table of one managed heap: every object has a 32-bit id, the index of an entry that holds
 * the object's current address, a generation and flags. Moving an object rewrites one entry; freeing it
 * bumps the generation, so every handle to it becomes stale.
 *
 * <h2>Handles</h2>
 *
 * <pre>
 *   handle (64 bits, held by Java code)
 *    63                              32 31                               0
 *   +----------------------------------+----------------------------------+
 *   |  generation (unsigned, &gt;= 1)     |  id (1 .. maxIds - 1)            |
 *   +----------------------------------+----------------------------------+
 * </pre>
 *
 * Generations start at 1, so no handle of a live object is 0: handle 0 is the null handle. Id 0 is never
 * handed out. References stored inside objects are bare ids; {@link #handleOf(int)} turns one back into a
 * handle.
 *
 * <h2>Entries</h2>
 *
 * Entries live off the Java heap, in blocks of 2<sup>17</sup> entries (2 MiB: one transparent huge page
 * on x86-64, which a heap may ask for — see {@link org.mm4j.heap.Heap.Builder#hugePages}) mapped on
 * demand. The Java array {@code blocks} indexes them; a block never moves once mapped, so a lookup is
 * {@code blocks[id >>> 17]} and one access at {@code (id & 0x1FFFF) * 16} into it. Each entry:
 *
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                      Address (bytes 0-7)                      |
 *   |      the object's address while LIVE; 0 while RESERVED;       |
 *   |       the next id of the free FIFO or spare stack otherwise   |
 *   +---------------------------------------------------------------+
 *   |                Generation (bytes 8-11, unsigned)              |
 *   +---------------------------------------------------------------+
 *   |                   Flags (bytes 12-15, an int)                 |
 *   +---------------------------------------------------------------+
 *
 *   Flags, bit 31 on the left:
 *    3 3 2 2 2 2 2 2 2 2 2 2 1 1 1 1 1 1 1 1 1 1
 *    1 0 9 8 7 6 5 4 3 2 1 0 9 8 7 6 5 4 3 2 1 0 9 8 7 6 5 4 3 2 1 0
 *   +-------------------------------+-------------------------+-+-+-+
 *   |   user flags (the heap's)     |       zero        |U|O|S|T|R|L|
 *   +-------------------------------+-------------------+-+-+-+-+-+-+
 *    L = LIVE, R = RESERVED, T = RETIRED, S = SCOPED, O = OWNED, U = UNLINKED
 * </pre>
 *
 * A SCOPED entry is alive like a LIVE one but belongs to a scope, whose number its user flags hold; it
 * is not LIVE, so the hot path's one test sends every access to it down the slow path, which asks the
 * table's {@link ScopeGuard} whether the scope is still open (and open to the calling thread). Closing a
 * scope therefore makes every handle to its objects stale at once; {@link #freeScoped} gives the ids back
 * later, in bulk.
 *
 * Memory fresh from the OS reads as zero, which is a valid entry: generation 0, no flags, never handed out.
 *
 * <h2>Id life cycle and reuse</h2>
 *
 * <pre>
 *   free --reserve--&gt; RESERVED --activate--&gt; LIVE --free--&gt; free (generation + 1, queued FIFO)
 *                        |                        |           \-&gt; RETIRED if the generation would wrap
 *                        |                        \--unlink--&gt; UNLINKED --freeUnlinked--&gt; free (as above)
 *                        \--unreserve--&gt; free (spare, generation unchanged)
 * </pre>
 *
 * {@link #reserve} takes ids from three sources, in order: the <em>spares</em> (ids given back by
 * {@link #unreserve}, never activated, so no handle to them exists and they can be reused at once), the
 * <em>free FIFO</em> (ids freed by {@link #free}, taken only while it holds more than {@code reuseDelay}
 * ids, so an id comes back only after at least {@code reuseDelay} later frees), and the <em>high-water
 * mark</em> (fresh ids, mapping a new block when one is needed). Reusing late spreads the frees of a hot
 * id over time, so its generations last longer, and a stale handle is reported as "freed" rather than
 * "reused" for a while, which is the more useful message. An id whose generation would pass 0xFFFFFFFF
 * when freed is retired for good: its entry stays not live, so every handle ever made for it stays stale.
 * The FIFO and the spares are threaded through the address words of their entries: they cost no memory
 * beyond the table.
 *
 * <h2>Memory</h2>
 *
 * Each new block's bytes are charged to the heap's {@link MemoryBudget} before it is mapped; a refused
 * charge changes nothing. The last block of a small table is cut to the pages its entries need. The charge
 * is released when {@link #close()} unmaps the blocks.
 *
 * <h2>Concurrency</h2>
 *
 * The id lists, the high-water mark, the counts and the mapping of blocks are guarded by {@code lock};
 * mutators reserve ids in batches, so the lock is taken once per batch, not per object. Entries are read
 * and written with plain accesses, which is safe because every entry has one writer at a time and every
 * reader is ordered after the writes it needs:
 * <ul>
 *   <li>{@link #reserve} writes the entries it hands out (and publishes any new block into {@code blocks})
 *       under the lock; the reserving thread reads them afterwards in program order.</li>
 *   <li>{@link #activate} is called by the thread that reserved the id, and only it writes the entry until
 *       the handle it returns is published. Handles and ids travel to other threads only through
 *       happens-before edges the heap provides (a handle scope handed over, a queue, a lock, the
 *       collector's handshake), so whoever holds a handle also sees the activated entry and its block.</li>
 *   <li>{@link #setAddress} and {@link #setUserFlags} are called by the owner of the object at that time
 *       (the collector while it moves objects, a mutator under the heap's own protocol); the heap orders
 *       them before other threads' later reads.</li>
 *   <li>{@link #free} rewrites the entry under the lock: a later {@code reserve} that takes the id, on any
 *       thread, acquires the lock and so sees the freed entry. The heap frees only objects that no mutator
 *       can reach, so a correct program never reads an entry while it is being freed. A read racing with a
 *       free is a bug of the heap; it still touches only mapped memory, but may see any mix of the old and
 *       the new words, so this table promises such a reader nothing else.</li>
 *   <li>{@link #close()} clears {@code blocks} under the lock and then unmaps each block. A reader that
 *       still holds a block sees a closed segment, which the FFM API turns into an
 *       {@link IllegalStateException}, never an access to unmapped memory.</li>
 * </ul>
 *
 * <h2>Checks</h2>
 *
 * {@link #address(long)}, the hot path, checks everything (null, never handed out, not live, generation)
 * with one block lookup and two int reads, and throws from a separate cold method so that it stays small
 * enough to inline. The collector's accessors ({@link #addressOf}, {@link #setAddress}, {@link #userFlags},
 * {@link #setUserFlags}) check only that the id's block exists; with {@code -Dmm4j.debug=true} they also
 * check the id's state.
 */
public final class HandleTable implements AutoCloseable {
    /** The size of one entry. */
    public static final int ENTRY_BYTES = 16;

    static final int ENTRY_SHIFT = 4;
    /** 2<sup>17</sup> entries of 16 bytes: a block is 2 MiB, one transparent huge page on x86-64. */
    static final int BLOCK_SHIFT = 17;
    static final int ENTRIES_PER_BLOCK = 1 << BLOCK_SHIFT;
    static final int BLOCK_MASK = ENTRIES_PER_BLOCK - 1;
    static final long BLOCK_BYTES = (long) ENTRIES_PER_BLOCK * ENTRY_BYTES;

    private static final long ADDRESS_OFFSET = 0;
    private static final long GENERATION_OFFSET = 8;
    private static final long FLAGS_OFFSET = 12;

    static final int LIVE = 1;
    static final int RESERVED = 1 << 1;
    static final int RETIRED = 1 << 2;
    /** Live in a scope's region: not LIVE, so the collector's loops over live ids pass it by. */
    static final int SCOPED = 1 << 3;
    /** Owned (unique or reference-counted): no object may refer to it. */
    static final int OWNED = 1 << 4;
    /** Unlinked by a concurrent sweep: not live any more, not yet free (see {@link #unlinkAll}). */
    static final int UNLINKED = 1 << 5;
    static final int USER_SHIFT = 16;
    /** The largest value {@link #setUserFlags} takes. */
    public static final int MAX_USER_FLAGS = 0xFFFF;

    /** The last generation an id can have; freeing it then retires the id. */
    static final int LAST_GENERATION = 0xFFFFFFFF;

    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    /** Flags words with release/acquire access: see {@link #activate} and {@link #liveAddressAcquire}. */
    private static final java.lang.invoke.VarHandle FLAGS = INT.varHandle();

    private final String heapName;
    private final int maxIds;
    private final int reuseDelay;
    private final MemoryBudget budget;
    /** Whether whole blocks are advised to use transparent huge pages. */
    private final boolean hugePages;
    /** Entry blocks by {@code id >>> 17}; a slot is written under the lock, read without it (see above). */
    private final MemorySegment[] blocks;
    /** The mappings behind {@code blocks}. Guarded by {@code lock}. */
    private final Mapping[] mappings;
    private final ReentrantLock lock = new ReentrantLock();
    private final LongAdder live = new LongAdder();

    /** One past the highest id handed out. Written under the lock. */
    private volatile int highWater = 1;
    /** Bytes of the mapped blocks, all charged to the budget. Written under the lock. */
    private volatile long committed;
    /** Ids retired at the generation wrap. Written under the lock. */
    private volatile long retired;
    /** Freed ids waiting for reuse, oldest at the head; linked through the address words. Guarded by the lock. */
    private int fifoHead;
    private int fifoTail;
    private int fifoSize;
    /** Ids given back unactivated, linked through the address words like the FIFO. Guarded by the lock. */
    private int spareHead;
    private int spareCount;
    private volatile boolean closed;
    /** Decides on access to SCOPED entries; set once by the heap before any id is scoped. */
    private ScopeGuard scopeGuard = ScopeGuard.NONE;

    /** What the table asks about the scope whose number a SCOPED entry holds. */
    interface ScopeGuard {
        /** A table without scopes: no entry is ever SCOPED. */
        ScopeGuard NONE = new ScopeGuard() {
            @Override
            public void checkAccess(int scope, long handle) {
                throw new IllegalStateException("no scopes in this table");
            }

            @Override
            public boolean isOpen(int scope) {
                return false;
            }
        };

        /** Returns if the calling thread may use objects of {@code scope} now; else throws. */
        void checkAccess(int scope, long handle);

        /** Whether {@code scope} is open. */
        boolean isOpen(int scope);
    }

    /**
     * A table of at most {@code maxIds} entries: ids 1 to {@code maxIds - 1} (entry 0 is never handed out).
     *
     * @param heapName the heap's name, for messages
     * @param maxIds the number of entries, id 0 included, in [1, 2<sup>31</sup> - 1]
     * @param reuseDelay how many later frees an id waits in the FIFO before it is reused, at least 0
     * @param budget charged with the table's blocks as they are mapped
     * @throws IllegalArgumentException if {@code maxIds} or {@code reuseDelay} is out of range
     * @throws NullPointerException if {@code heapName} or {@code budget} is null
     */
    public HandleTable(String heapName, int maxIds, int reuseDelay, MemoryBudget budget) {
        this(heapName, maxIds, reuseDelay, budget, false);
    }

    /**
     * As {@link #HandleTable(String, int, int, MemoryBudget)}; with {@code hugePages}, each whole block (2 MiB)
     * is mapped on a huge-page boundary and advised to use a transparent huge page.
     */
    public HandleTable(String heapName, int maxIds, int reuseDelay, MemoryBudget budget, boolean hugePages) {
        this.hugePages = hugePages;
        this.heapName = Objects.requireNonNull(heapName, "heapName");
        this.budget = Objects.requireNonNull(budget, "budget");
        if (maxIds < 1) {
            throw new IllegalArgumentException("handle table of heap '" + heapName
                    + "': maxIds must be in [1, " + Integer.MAX_VALUE + "]: " + maxIds);
        }
        if (reuseDelay < 0) {
            throw new IllegalArgumentException("handle table of heap '" + heapName
                    + "': reuseDelay must not be negative: " + reuseDelay);
        }
        this.maxIds = maxIds;
        this.reuseDelay = reuseDelay;
        int blockCount = (int) (((long) maxIds + ENTRIES_PER_BLOCK - 1) >>> BLOCK_SHIFT);
        this.blocks = new MemorySegment[blockCount];
        this.mappings = new Mapping[blockCount];
    }

    /** Sets the guard of SCOPED entries; once, before the first {@link #activateScoped}. */
    void setScopeGuard(ScopeGuard guard) {
        this.scopeGuard = Objects.requireNonNull(guard, "guard");
    }

    // ---------------------------------------------------------------- handles

    /** The id of a handle: its low 32 bits. */
    public static int idOf(long handle) {
        return (int) handle;
    }

    /** The generation of a handle: its high 32 bits, unsigned (use {@link Integer#toUnsignedLong}). */
    public static int generationOf(long handle) {
        return (int) (handle >>> 32);
    }

    /** The handle of {@code id} at {@code generation}. */
    static long handle(int id, int generation) {
        return ((long) generation << 32) | (id & 0xFFFFFFFFL);
    }

    // ---------------------------------------------------------------- hot path

    /**
     * The current address of the object of {@code handle}.
     *
     * @throws NullPointerException for the null handle, 0
     * @throws StaleHandleException if the id was never handed out, is not live, or has moved on to another
     *     generation (its object was freed)
     * @throws IllegalStateException if the table is closed
     */
    public long address(long handle) {
        int id = (int) handle;
        MemorySegment block = blockOrNull(id);
        if (block != null) {
            long e = entryOffset(id);
            if ((block.get(INT, e + FLAGS_OFFSET) & LIVE) != 0
                    && block.get(INT, e + GENERATION_OFFSET) == (int) (handle >>> 32)) {
                return block.get(WORD, e + ADDRESS_OFFSET);
            }
        }
        return scopedAddress(handle);
    }

    /** The slow path of {@link #address(long)}: a scoped object's address if its scope lets the caller in. */
    private long scopedAddress(long handle) {
        int id = (int) handle;
        MemorySegment block = blockOrNull(id);
        if (block != null) {
            long e = entryOffset(id);
            int flags = block.get(INT, e + FLAGS_OFFSET);
            if ((flags & SCOPED) != 0 && block.get(INT, e + GENERATION_OFFSET) == (int) (handle >>> 32)) {
                scopeGuard.checkAccess(flags >>> USER_SHIFT, handle);
                return block.get(WORD, e + ADDRESS_OFFSET);
            }
        }
        throw notLive(handle);
    }

    /** Whether {@code handle} names a live object: its id is live at the handle's generation. */
    public boolean isLive(long handle) {
        int id = (int) handle;
        MemorySegment block = blockOrNull(id);
        if (block == null) {
            checkOpen();
            return false;
        }
        long e = entryOffset(id);
        int flags = block.get(INT, e + FLAGS_OFFSET);
        return (flags & (LIVE | SCOPED)) != 0
                && block.get(INT, e + GENERATION_OFFSET) == (int) (handle >>> 32)
                && ((flags & LIVE) != 0 || scopeGuard.isOpen(flags >>> USER_SHIFT));
    }

    /**
     * The address of {@code id} if it is live, 0 if it is not (or was never handed out). The flags are read
     * with acquire semantics: paired with the release store of {@link #activate}, a reader that sees the id
     * live also sees the address written before and, through the activating thread's program order, the
     * object's header. For a collector thread that reads entries while mutators activate ids (concurrent
     * marking); one entry, one cache line, so a marker can look several ids up before it reads any of their
     * objects and the misses overlap.
     */
    long liveAddressAcquire(int id) {
        MemorySegment block = blockOrNull(id);
        if (block == null) {
            checkOpen();
            return 0;
        }
        long e = entryOffset(id);
        if (((int) FLAGS.getAcquire(block, e + FLAGS_OFFSET) & LIVE) == 0) {
            return 0;
        }
        return block.get(WORD, e + ADDRESS_OFFSET);
    }

    /** Whether {@code id} is live (activated and not freed since). False for ids never handed out. */
    public boolean isLive(int id) {
        MemorySegment block = blockOrNull(id);
        if (block == null) {
            checkOpen();
            return false;
        }
        return (block.get(INT, entryOffset(id) + FLAGS_OFFSET) & LIVE) != 0;
    }

    private MemorySegment blockOrNull(int id) {
        int b = id >>> BLOCK_SHIFT;
        MemorySegment[] bs = blocks;
        return b < bs.length ? bs[b] : null;
    }

    private static long entryOffset(int id) {
        return (long) (id & BLOCK_MASK) << ENTRY_SHIFT;
    }

    /** Why {@code handle} does not name a live object, as the exception to throw. Cold. */
    private RuntimeException notLive(long handle) {
        if (closed) {
            return closedException();
        }
        if (handle == 0) {
            return new NullPointerException("null handle");
        }
        int id = idOf(handle);
        String gen = Integer.toUnsignedString(generationOf(handle));
        String prefix = "handle " + handleString(handle) + " of heap '" + heapName + "' is stale: ";
        if (!handedOut(id)) {
            return new StaleHandleException(handle, prefix + "id " + Integer.toUnsignedString(id)
                    + " was never handed out (ids so far are 1 to " + (highWater - 1) + ")");
        }
        MemorySegment block = blocks[id >>> BLOCK_SHIFT];
        if (block == null) {
            return closedException(); // closed since the first check
        }
        long e = entryOffset(id);
        int flags = block.get(INT, e + FLAGS_OFFSET);
        String current = Integer.toUnsignedString(block.get(INT, e + GENERATION_OFFSET));
        String state;
        if ((flags & RETIRED) != 0) {
            state = "id " + id + " is retired (its generations are used up; last generation " + current
                    + "), handle generation " + gen;
        } else if ((flags & LIVE) != 0) {
            state = "id " + id + " was freed and reused: handle generation " + gen + ", current generation "
                    + current;
        } else if ((flags & UNLINKED) != 0) {
            state = "id " + id + " is not live (collected; its memory is being given back): handle generation "
                    + gen + ", current generation " + current;
        } else if ((flags & RESERVED) != 0) {
            state = "id " + id + " is not live (reserved for a new object): handle generation " + gen
                    + ", current generation " + current;
        } else {
            state = "id " + id + " is not live (freed): handle generation " + gen + ", current generation "
                    + current;
        }
        return new StaleHandleException(handle, prefix + state);
    }

    private static String handleString(long handle) {
        return "0x" + Long.toHexString(handle);
    }

    private boolean handedOut(int id) {
        return id > 0 && id < highWater;
    }

    // ---------------------------------------------------------------- reserve, activate, free

    /**
     * Takes up to {@code count} free ids into {@code into[0 .. n)} and returns n, at least 1. The ids are
     * RESERVED, not live, with user flags 0, until {@link #activate} or {@link #unreserve}. Fewer than
     * {@code count} come back when the table runs short, or when a block they need cannot be charged to
     * the budget although some ids were found without it.
     *
     * @throws HandleSpaceExhaustedException if no id is free (every one is live, reserved, retired or
     *     waiting out the reuse delay); nothing changed
     * @throws MemoryLimitExceededException if the only ids left need a new block and the
     *     budget has no room for it; nothing changed
     * @throws IllegalArgumentException if {@code count} is not in [1, into.length]
     * @throws IllegalStateException if the table is closed
     */
    public int reserve(int[] into, int count) {
        if (count < 1 || count > into.length) {
            throw new IllegalArgumentException("reserve count must be in [1, " + into.length + "]: " + count);
        }
        lock.lock();
        try {
            checkOpen();
            int fromSpares = Math.min(count, spareCount);
            int fromFifo = Math.min(count - fromSpares, Math.max(0, fifoSize - reuseDelay));
            int hw = highWater;
            int fresh = Math.min(count - fromSpares - fromFifo, maxIds - hw);
            if (fromSpares + fromFifo + fresh == 0) {
                throw new HandleSpaceExhaustedException("heap '" + heapName + "' has no free object id: all "
                        + (maxIds - 1) + " ids (maxIds " + maxIds + ") are live, reserved, retired ("
                        + retired + ") or waiting out the reuse delay (" + fifoSize + " of " + reuseDelay
                        + " frees queued)");
            }
            if (fresh > 0) {
                fresh = mapBlocksFor(hw, fresh, fromSpares + fromFifo > 0);
            }
            spareHead = takeListed(spareHead, fromSpares, into, 0);
            spareCount -= fromSpares;
            fifoHead = takeListed(fifoHead, fromFifo, into, fromSpares);
            fifoSize -= fromFifo;
            if (fifoSize == 0) {
                fifoTail = 0;
            }
            int n = fromSpares + fromFifo;
            for (int id = hw; id < hw + fresh; id++) {
                MemorySegment block = blocks[id >>> BLOCK_SHIFT];
                block.set(INT, entryOffset(id) + GENERATION_OFFSET, 1);
                markReserved(block, id);
                into[n++] = id;
            }
            highWater = hw + fresh;
            return n;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reserves the first {@code count} ids of the list (FIFO or spares) that starts at {@code head}, into
     * {@code into[at ..)}; returns the id that follows them. Lock held.
     */
    private int takeListed(int head, int count, int[] into, int at) {
        int id = head;
        for (int i = 0; i < count; i++) {
            MemorySegment block = blocks[id >>> BLOCK_SHIFT];
            int next = (int) block.get(WORD, entryOffset(id) + ADDRESS_OFFSET);
            markReserved(block, id);
            into[at + i] = id;
            id = next;
        }
        return id;
    }

    private static void markReserved(MemorySegment block, int id) {
        long e = entryOffset(id);
        block.set(WORD, e + ADDRESS_OFFSET, 0L);
        block.set(INT, e + FLAGS_OFFSET, RESERVED);
    }

    /**
     * Maps the blocks that fresh ids {@code [first, first + count)} need; returns how many of the ids have
     * their block. A block the budget refuses cuts the run short, or, when the run would be empty and no
     * other id was found ({@code !haveOthers}), the refusal is thrown. Lock held.
     */
    private int mapBlocksFor(int first, int count, boolean haveOthers) {
        int last = first + count - 1;
        for (int b = first >>> BLOCK_SHIFT; b <= last >>> BLOCK_SHIFT; b++) {
            if (blocks[b] != null) {
                continue;
            }
            try {
                mapBlock(b);
            } catch (MemoryLimitExceededException e) {
                int available = (b << BLOCK_SHIFT) - first;
                if (available <= 0 && !haveOthers) {
                    throw e;
                }
                return Math.max(0, available);
            }
        }
        return count;
    }

    /** Charges and maps block {@code b}. Lock held; on failure nothing changed. */
    @SuppressWarnings("NonAtomicVolatileUpdate") // committed is written only under the lock
    private void mapBlock(int b) {
        long entries = Math.min(ENTRIES_PER_BLOCK, (long) maxIds - ((long) b << BLOCK_SHIFT));
        long pageSize = NativeMemory.PAGE_SIZE;
        long bytes = Math.min(BLOCK_BYTES, (entries * ENTRY_BYTES + pageSize - 1) & -pageSize);
        budget.reserve(bytes);
        Mapping mapping;
        try {
            boolean huge = hugePages && NativeMemory.isNative() && bytes == NativeMemory.HUGE_PAGE_SIZE;
            mapping = NativeMemory.map(bytes, huge ? NativeMemory.HUGE_PAGE_SIZE : pageSize);
            if (huge) {
                NativeMemory.adviseHugePagesOrUnmap(mapping);
            }
        } catch (RuntimeException | Error e) {
            budget.release(bytes);
            throw e;
        }
        mappings[b] = mapping;
        blocks[b] = mapping.segment();
        committed += bytes;
    }

    /**
     * Makes the reserved {@code id} live at {@code address} and returns its handle. Called by the thread
     * that reserved the id; the handle is nonzero.
     *
     * @throws IllegalStateException if the id is not reserved (already live, freed, or given back), or the
     *     table is closed
     * @throws IllegalArgumentException if the id was never handed out
     */
    public long activate(int id, long address) {
        MemorySegment block = block(id);
        long e = entryOffset(id);
        int flags = checkedFlags(block, id, RESERVED | LIVE, RESERVED, "activate", "reserved");
        block.set(WORD, e + ADDRESS_OFFSET, address);
        FLAGS.setRelease(block, e + FLAGS_OFFSET, (flags & ~RESERVED) | LIVE); // see liveAddressAcquire
        live.increment();
        return handle(id, block.get(INT, e + GENERATION_OFFSET));
    }

    /**
     * Gives back a reserved id that was never activated. No handle to it exists, so it is reusable at
     * once, before the FIFO.
     *
     * @throws IllegalStateException if the id is not reserved, or the table is closed
     * @throws IllegalArgumentException if the id was never handed out
     */
    public void unreserve(int id) {
        lock.lock();
        try {
            checkOpen();
            MemorySegment block = block(id);
            long e = entryOffset(id);
            checkedFlags(block, id, RESERVED | LIVE, RESERVED, "unreserve", "reserved");
            block.set(INT, e + FLAGS_OFFSET, 0);
            block.set(WORD, e + ADDRESS_OFFSET, spareHead);
            spareHead = id;
            spareCount++;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Frees a live id: it stops being live, its generation moves on by one (every handle to it becomes
     * stale) and it joins the reuse FIFO; if its generation was the last one, it is retired instead.
     * Safe from several threads at once, each freeing different ids.
     *
     * @throws IllegalStateException if the id is not live (a double free, or never activated), or the
     *     table is closed
     * @throws IllegalArgumentException if the id was never handed out
     */
    public void free(int id) {
        lock.lock();
        try {
            checkOpen();
            freeLive(id);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Frees the SCOPED ids {@code ids[from .. to)} of a closed scope, as {@link #free} does, under one
     * taking of the lock.
     *
     * @throws IllegalStateException if one is not SCOPED (those before it are freed), or the table is closed
     */
    public void freeScoped(int[] ids, int from, int to) {
        Objects.checkFromToIndex(from, to, ids.length);
        lock.lock();
        try {
            checkOpen();
            for (int i = from; i < to; i++) {
                MemorySegment block = block(ids[i]);
                checkedFlags(block, ids[i], SCOPED, SCOPED, "freeScoped", "scoped");
                freeLocked(block, ids[i]);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Frees {@code ids[0 .. count)} as {@link #free} would, one after the other, taking the lock once.
     * If one throws, the ids before it are freed and the rest are not.
     */
    public void freeAll(int[] ids, int count) {
        lock.lock();
        try {
            checkOpen();
            for (int i = 0; i < count; i++) {
                freeLive(ids[i]);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Unlinks the live ids {@code ids[0 .. count)}, whose objects no mutator can reach any more, for a sweep
     * that runs beside the mutators ({@link Sweeper}): from each id's release write on it is not live —
     * every handle to it reads as stale, the loops over live ids pass it by — but its generation, its
     * address and the object's memory stay as they were, and nothing is reused, until
     * {@link #freeUnlinked}. A thread that read an entry just before may still be reading the object; the
     * caller frees it only once no such read can be in progress. The entries' one writer: no lock. The
     * ids are counted out of the live ids once. If one throws, the ids before it are unlinked (and
     * counted) and the rest are not.
     *
     * @throws IllegalStateException if one is not live
     */
    public void unlinkAll(int[] ids, int count) {
        Objects.checkFromToIndex(0, count, ids.length);
        int i = 0;
        try {
            for (; i < count; i++) {
                MemorySegment block = block(ids[i]);
                int flags = checkedFlags(block, ids[i], LIVE, LIVE, "unlink", "live");
                FLAGS.setRelease(block, entryOffset(ids[i]) + FLAGS_OFFSET, (flags & ~LIVE) | UNLINKED);
            }
        } finally {
            live.add(-i);
        }
    }

    /**
     * Frees the unlinked ids {@code ids[0 .. count)} as {@link #free} frees live ones, taking the lock once.
     * If one throws, the ids before it are freed and the rest are not.
     *
     * @throws IllegalStateException if one is not unlinked, or the table is closed
     */
    public void freeUnlinked(int[] ids, int count) {
        Objects.checkFromToIndex(0, count, ids.length);
        lock.lock();
        try {
            checkOpen();
            for (int i = 0; i < count; i++) {
                MemorySegment block = block(ids[i]);
                checkedFlags(block, ids[i], UNLINKED, UNLINKED, "freeUnlinked", "unlinked");
                freeLocked(block, ids[i]);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The body of {@link #free}. Lock held. */
    private void freeLive(int id) {
        MemorySegment block = block(id);
        checkedFlags(block, id, LIVE, LIVE, "free", "live");
        live.decrement();
        freeLocked(block, id);
    }

    /** Moves the generation on and queues the id for reuse, or retires it. Lock held. */
    @SuppressWarnings("NonAtomicVolatileUpdate") // retired is written only under the lock
    private void freeLocked(MemorySegment block, int id) {
        long e = entryOffset(id);
        int generation = block.get(INT, e + GENERATION_OFFSET);
        block.set(WORD, e + ADDRESS_OFFSET, 0L);
        if (generation == LAST_GENERATION) {
            block.set(INT, e + FLAGS_OFFSET, RETIRED);
            retired++;
            return;
        }
        block.set(INT, e + GENERATION_OFFSET, generation + 1);
        block.set(INT, e + FLAGS_OFFSET, 0);
        if (fifoSize == 0) {
            fifoHead = id;
        } else {
            blocks[fifoTail >>> BLOCK_SHIFT].set(WORD, entryOffset(fifoTail) + ADDRESS_OFFSET, id);
        }
        fifoTail = id;
        fifoSize++;
    }

    /**
     * Makes a reserved id SCOPED at {@code address}, in scope number {@code scope}, and returns its handle.
     * Called by the thread that reserved the id, like {@link #activate}.
     *
     * @throws IllegalArgumentException if {@code scope} is not in [1, 0xFFFF]
     */
    public long activateScoped(int id, long address, int scope) {
        if (scope < 1 || scope > MAX_USER_FLAGS) {
            throw new IllegalArgumentException("scope number must be in [1, 0xFFFF]: " + scope);
        }
        MemorySegment block = block(id);
        long e = entryOffset(id);
        checkedFlags(block, id, RESERVED | LIVE | SCOPED, RESERVED, "activateScoped", "reserved");
        block.set(WORD, e + ADDRESS_OFFSET, address);
        block.set(INT, e + FLAGS_OFFSET, SCOPED | (scope << USER_SHIFT));
        return handle(id, block.get(INT, e + GENERATION_OFFSET));
    }

    /** The flags word of a handed-out id's entry (LIVE, SCOPED, OWNED, ... and the user flags above). */
    public int flagsOf(int id) {
        return block(id).get(INT, entryOffset(id) + FLAGS_OFFSET);
    }

    /** Whether the flags of {@link #flagsOf} say SCOPED or OWNED: what the write barrier looks at. */
    static boolean scopedOrOwned(int flags) {
        return (flags & (SCOPED | OWNED)) != 0;
    }

    /** Marks a live or scoped id OWNED. Called by the thread that just activated it. */
    public void markOwned(int id) {
        MemorySegment block = block(id);
        long e = entryOffset(id) + FLAGS_OFFSET;
        int flags = block.get(INT, e);
        if ((flags & (LIVE | SCOPED)) == 0) {
            throw wrongState(id, flags, "markOwned", "live or scoped");
        }
        block.set(INT, e, flags | OWNED);
    }

    /** The scope number of a SCOPED id, or 0 if the id is not SCOPED. */
    public int scopeOf(int id) {
        int flags = block(id).get(INT, entryOffset(id) + FLAGS_OFFSET);
        return (flags & SCOPED) != 0 ? flags >>> USER_SHIFT : 0;
    }

    /**
     * Moves a live or scoped id on to its next generation without freeing it, so every handle to it made
     * so far is stale, and returns the new handle. The heap serializes this with the id's other writers.
     *
     * @throws IllegalStateException if the id is neither live nor scoped, or its generations are used up
     */
    public long renew(int id) {
        MemorySegment block = block(id);
        long e = entryOffset(id);
        int flags = block.get(INT, e + FLAGS_OFFSET);
        if ((flags & (LIVE | SCOPED)) == 0) {
            throw wrongState(id, flags, "renew", "live or scoped");
        }
        int generation = block.get(INT, e + GENERATION_OFFSET);
        if (generation == LAST_GENERATION) {
            throw new IllegalStateException("id " + id + " of heap '" + heapName + "' has used up its generations");
        }
        block.set(INT, e + GENERATION_OFFSET, generation + 1);
        return handle(id, generation + 1);
    }

    // ---------------------------------------------------------------- the collector's accessors

    /** The address in {@code id}'s entry, unchecked but for the id's block existing (see Checks above). */
    public long addressOf(int id) {
        MemorySegment block = block(id);
        if (Debug.ENABLED) {
            checkState(block, id, LIVE | SCOPED, "addressOf");
        }
        return block.get(WORD, entryOffset(id) + ADDRESS_OFFSET);
    }

    /** Moves the object of the live {@code id} to {@code address}; its handles stay valid. */
    public void setAddress(int id, long address) {
        MemorySegment block = block(id);
        if (Debug.ENABLED) {
            checkState(block, id, LIVE, "setAddress");
        }
        block.set(WORD, entryOffset(id) + ADDRESS_OFFSET, address);
    }

    /**
     * The current handle of the live or scoped {@code id}.
     *
     * @throws IllegalStateException if the id is neither live nor scoped, or the table is closed
     * @throws IllegalArgumentException if the id was never handed out
     */
    public long handleOf(int id) {
        MemorySegment block = block(id);
        long e = entryOffset(id);
        if ((block.get(INT, e + FLAGS_OFFSET) & (LIVE | SCOPED)) == 0) {
            throw wrongState(id, block.get(INT, e + FLAGS_OFFSET), "handleOf", "live or scoped");
        }
        return handle(id, block.get(INT, e + GENERATION_OFFSET));
    }

    /** The 16 bits of {@code id}'s entry that the heap owns (pin counts and the like), in [0, 0xFFFF]. */
    public int userFlags(int id) {
        MemorySegment block = block(id);
        if (Debug.ENABLED) {
            checkState(block, id, LIVE | RESERVED, "userFlags");
        }
        return block.get(INT, entryOffset(id) + FLAGS_OFFSET) >>> USER_SHIFT;
    }

    /**
     * Sets the heap's 16 bits of a live or reserved {@code id}'s entry. A plain read-modify-write: the heap
     * serializes the writers of one id's flags.
     *
     * @throws IllegalArgumentException if {@code flags} is not in [0, 0xFFFF]
     */
    public void setUserFlags(int id, int flags) {
        if ((flags & ~MAX_USER_FLAGS) != 0) {
            throw new IllegalArgumentException("user flags must be in [0, 0xFFFF]: 0x" + Integer.toHexString(flags));
        }
        MemorySegment block = block(id);
        if (Debug.ENABLED) {
            checkState(block, id, LIVE | RESERVED, "setUserFlags");
        }
        long e = entryOffset(id) + FLAGS_OFFSET;
        block.set(INT, e, (block.get(INT, e) & MAX_USER_FLAGS) | (flags << USER_SHIFT));
    }

    /** Sets {@code id}'s generation, for tests that need to reach the wrap. */
    void forceGeneration(int id, int generation) {
        if (generation == 0) {
            throw new IllegalArgumentException("generations start at 1");
        }
        block(id).set(INT, entryOffset(id) + GENERATION_OFFSET, generation);
    }

    /** The block of an id that was handed out, or an exception. */
    MemorySegment block(int id) {
        MemorySegment block = blockOrNull(id);
        if (block == null) {
            throw noBlock(id);
        }
        return block;
    }

    private RuntimeException noBlock(int id) {
        if (closed) {
            return closedException();
        }
        return neverHandedOut(id);
    }

    private IllegalArgumentException neverHandedOut(int id) {
        return new IllegalArgumentException("id " + Integer.toUnsignedString(id) + " of heap '" + heapName
                + "' was never handed out (ids so far are 1 to " + (highWater - 1) + ")");
    }

    /** {@code id}'s flags, if {@code (flags & mask) == expected}; else throws for {@code operation}. */
    private int checkedFlags(MemorySegment block, int id, int mask, int expected, String operation, String needed) {
        int flags = block.get(INT, entryOffset(id) + FLAGS_OFFSET);
        if ((flags & mask) != expected) {
            throw wrongState(id, flags, operation, needed);
        }
        return flags;
    }

    /** Debug check: {@code id}'s flags have one of {@code expected}. */
    private void checkState(MemorySegment block, int id, int expected, String operation) {
        int flags = block.get(INT, entryOffset(id) + FLAGS_OFFSET);
        if ((flags & expected) == 0) {
            throw wrongState(id, flags, operation, (expected & RESERVED) != 0 ? "live or reserved"
                    : (expected & SCOPED) != 0 ? "live or scoped" : "live");
        }
    }

    private RuntimeException wrongState(int id, int flags, String operation, String needed) {
        if (!handedOut(id)) {
            return neverHandedOut(id);
        }
        String state;
        if ((flags & RETIRED) != 0) {
            state = "retired";
        } else if ((flags & LIVE) != 0) {
            state = "live";
        } else if ((flags & RESERVED) != 0) {
            state = "reserved";
        } else if ((flags & SCOPED) != 0) {
            state = "scoped";
        } else {
            state = "free";
        }
        return new IllegalStateException(operation + " of id " + id + " of heap '" + heapName + "': the id is "
                + state + ", not " + needed);
    }

    // ---------------------------------------------------------------- counts and iteration

    /** One past the highest id ever handed out: ids so far are 1 to {@code idLimit() - 1}. */
    public int idLimit() {
        checkOpen();
        return highWater;
    }

    /** The largest number of entries, id 0 included, as given to the constructor. */
    public int maxIds() {
        return maxIds;
    }

    /** Live ids: activated and not freed. Exact when no activate or free is under way. */
    public long liveCount() {
        checkOpen();
        return live.sum();
    }

    /** Ids retired because their generations were used up; they are never handed out again. */
    public long retiredCount() {
        checkOpen();
        return retired;
    }

    /** Freed ids waiting in the reuse FIFO. */
    public int queuedCount() {
        lock.lock();
        try {
            checkOpen();
            return fifoSize;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes of the mapped blocks, all charged to the budget. */
    public long committedBytes() {
        checkOpen();
        return committed;
    }

    /**
     * Calls {@code action} with every live id, in ascending order. The caller guarantees that nothing
     * activates or frees ids meanwhile (the collector, with mutators stopped); {@code action} may call the
     * collector's accessors, but not {@link #activate} or {@link #free}.
     */
    public void forEachLive(IntConsumer action) {
        forEachLive(1, Integer.MAX_VALUE, action);
    }

    /**
     * As {@link #forEachLive(IntConsumer)}, for the live ids in {@code [from, to)} (cut to the ids handed
     * out); {@code from} at least 1. A concurrent sweep ({@link Sweeper}) also calls it while mutators
     * activate ids: each flags word is read with acquire semantics (paired with {@link #activate}'s release
     * write), so an id seen live is seen with its address and its object; ids activated meanwhile may be
     * seen or not.
     */
    public void forEachLive(int from, int to, IntConsumer action) {
        checkOpen();
        int limit = Math.min(highWater, to);
        if (from >= limit) {
            return;
        }
        for (int b = from >>> BLOCK_SHIFT; b <= (limit - 1) >>> BLOCK_SHIFT; b++) {
            MemorySegment block = blocks[b];
            if (block == null) {
                return; // mapped by a concurrent reserve, not yet visible here: its ids are new ones
            }
            int end = (int) Math.min(limit, ((long) b + 1) << BLOCK_SHIFT);
            for (int id = Math.max(Math.max(1, from), b << BLOCK_SHIFT); id < end; id++) {
                if (((int) FLAGS.getAcquire(block, entryOffset(id) + FLAGS_OFFSET) & LIVE) != 0) {
                    action.accept(id);
                }
            }
        }
    }

    // ---------------------------------------------------------------- closing

    /** Unmaps every block and releases their charge. Idempotent; afterwards every method throws. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (int b = 0; b < blocks.length; b++) {
                blocks[b] = null;
            }
            for (int b = 0; b < mappings.length; b++) {
                if (mappings[b] != null) {
                    mappings[b].close();
                    mappings[b] = null;
                }
            }
            budget.release(committed);
        } finally {
            lock.unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw closedException();
        }
    }

    private IllegalStateException closedException() {
        return new IllegalStateException("handle table of heap '" + heapName + "' is closed");
    }

    @Override
    public String toString() {
        return "HandleTable[" + heapName + ": " + (closed ? "closed" : (highWater - 1) + " ids handed out, "
                + live.sum() + " live, " + committed + " bytes]");
    }
}
