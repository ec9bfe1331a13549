package org.mm4j.internal.alloc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.mm4j.alloc.InvalidFreeException;
import org.mm4j.internal.os.NativeMemory;

/**
 * A run of units in a chunk, carved into equal slots, owned by one {@link ThreadHeap}.
 *
 * <h2>Free-list sharding with bitmaps</h2>
 * Slot state lives in bitmaps beside the chunk, never inside the slots, so a program that writes to
 * memory after freeing it cannot corrupt the allocator. The three bitmaps of a page lie together in its
 * chunk's metadata ({@link Chunk#META_PER_UNIT} bytes per unit, at its first unit's place), off the Java
 * heap: an allocator of gigabytes has tens of thousands of pages, and their bitmaps on the Java heap
 * (most of a descriptor's bytes) were what the JVM's collector copied and marked:
 * <pre>
 *   bits: | summary (2 words) | free (128 words, W used) | padding (8 words) | remoteFree (W words) |
 *   free[w]       bit b set: slot 64w+b is free        owner thread only, plain accesses
 *   summary[s]    bit i set: free[64s+i] != 0           owner only; 2 words cover 8192 slots
 *   remoteFree[w] bit b set: slot 64w+b was freed by another thread and not yet collected
 *                                                      set by atomic OR, taken by the owner with getAndSet
 * </pre>
 * The padding keeps other threads' atomic ORs off the cache lines the owner writes.
 * Allocation takes the lowest free slot: two count-trailing-zeros, O(1). A local free sets a bit; a
 * free bit that is already set is a double free, detected before anything changes. A remote free ORs its
 * bit into {@code remoteFree} (a bit already set there is a double free too) and, if the page's
 * {@code remoteQueued} flag goes 0 to 1, pushes the page onto its heap's remote stack.
 *
 * <h2>Why a remote free is never lost</h2>
 * The owner clears {@code remoteQueued} (volatile write) before it reads the words (volatile reads);
 * the remote thread ORs its bit (volatile read-modify-write) before it reads {@code remoteQueued}
 * (volatile read). In the single total order of these volatile accesses either the owner's read of the
 * word comes after the OR, and the owner collects the bit, or the remote thread's read of the flag comes
 * after the clear, sees 0, and queues the page again.
 */
final class Page {
    static final int MAX_SLOTS = 8192;

    static final byte CURRENT = 1;
    static final byte AVAILABLE = 2;
    static final byte FULL = 3;
    static final byte SPARE = 4;
    static final byte RELEASED = 5;

    /** All of memory, for reading and writing the bitmaps by address. */
    private static final MemorySegment ALL = NativeMemory.ALL;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    /** Atomic and ordered accesses to a bitmap word: (ALL, address). */
    private static final VarHandle WORD = LONG.varHandle();
    private static final VarHandle REMOTE_QUEUED;
    /** Two zero words: the summary of {@link #EMPTY} and {@link #TOMBSTONE}, which have no slots. */
    private static final long NO_SLOTS = Arena.global().allocate(16, 64).address();

    static {
        try {
            REMOTE_QUEUED = MethodHandles.lookup().findVarHandle(Page.class, "remoteQueued", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A page with no slots: the initial current page of every class, so the fast path has no null check. */
    static final Page EMPTY = new Page();
    /** Marks the remote stack of a heap that was adopted; never a real page. */
    static final Page TOMBSTONE = new Page();

    /**
     * Where the page is. Not final: a released page's descriptor is reused for the next page its heap
     * carves of the same class ({@link #moveTo}). Written under the allocator's lock before the page is
     * installed in its chunk; a thread that frees into it got its slot through a happens-before chain
     * that starts after that.
     */
    Chunk chunk;
    int firstUnit;
    long address;
    MemorySegment segment;
    final PageClass cls;

    private static final int SUMMARY = 0;
    private static final int FREE = 2;
    private static final int PADDING = 8;
    private static final int MAX_WORDS = MAX_SLOTS / 64;
    /**
     * The first remote-free word, after the most free words any page has: a late atomic OR by a thread
     * that frees twice into a page as it is released lands, if another page is carved at its place, in
     * that page's remote map (a bit {@link #drainRemote} bounds to its slots), never in its free words,
     * which the owner writes with plain stores.
     */
    private static final int REMOTE = FREE + MAX_WORDS + PADDING;

    /** Address of the summary, free and remote-free bitmaps; see the class comment. Moves with the page. */
    private long bits;
    /** Words of the summary in use (1 or 2), and of each of the free and remote maps. */
    private final int summaryWords;
    private final int words;
    /** Slots handed out and not freed locally or collected. Owner only; read racily by metrics. */
    int used;
    /** Slots ever handed out from this page. Owner only; read racily by metrics. */
    long allocations;
    /** One of CURRENT, AVAILABLE, FULL, SPARE, RELEASED. Owner only. */
    byte state;
    /** Links in the owner's {@link PageList}. Owner only. */
    Page prev;
    Page next;

    /** The heap that owns this page; changes only when a dead thread's heap is adopted. */
    volatile ThreadHeap heap;
    @SuppressWarnings("unused") // accessed through REMOTE_QUEUED
    private volatile int remoteQueued;
    /** Link in the owner's remote stack; written by the pusher before its CAS publishes it. */
    Page nextRemote;

    private Page() {
        this.chunk = null;
        this.firstUnit = 0;
        this.cls = null;
        this.address = 0;
        this.segment = MemorySegment.NULL;
        this.bits = NO_SLOTS;
        this.summaryWords = 0;
        this.words = 0;
    }

    Page(Chunk chunk, int firstUnit, PageClass cls, ThreadHeap heap) {
        this.cls = cls;
        this.words = (cls.slotCount + 63) >>> 6;
        this.summaryWords = (words + 63) >>> 6;
        this.heap = heap;
        place(chunk, firstUnit);
    }

    /**
     * The bytes of a page's bitmaps: the same for every page, whatever its slots, so that the remote map
     * lies at the same place in every page's bitmaps (see {@link #REMOTE}). At most
     * {@link Chunk#META_PER_UNIT}.
     */
    static int bitmapBytes() {
        return 8 * (REMOTE + MAX_WORDS);
    }

    private long word(int i) {
        return ALL.get(LONG, bits + 8L * i);
    }

    private void setWord(int i, long value) {
        ALL.set(LONG, bits + 8L * i, value);
    }

    /**
     * Owner, allocator lock held: makes this released descriptor describe a new, empty page of the same
     * class at {@code firstUnit} of {@code chunk}, for the same heap.
     *
     * <p>A page carved at a high rate (the managed heap's old space empties and carves hundreds of pages a
     * second) would otherwise leave a descriptor, about a hundred bytes with its segment, on the Java
     * heap for each; the JVM's collector then copies every one that is still live at its next young pause.
     *
     * <p>The queued flag and the remote link are left as they are. A freer whose slot the owner collected
     * before releasing the page may still be about to push it onto its heap's remote stack (it set the
     * flag after the owner's reset; see {@link #drainRemote}); it pushes this descriptor once, onto the
     * same heap, and the owner collects it as for any page. Resetting the flag would let a free into the
     * new page push it a second time while it is still on the stack.
     */
    void moveTo(Chunk chunk, int firstUnit) {
        used = 0;
        allocations = 0;
        prev = null;
        next = null;
        place(chunk, firstUnit);
    }

    /**
     * Describes units [firstUnit, ...) of {@code chunk}, all slots free. The bitmaps' place may have held
     * another page's: every word the page reads is written. A remote word is zero for every correct program
     * (an empty page has collected every remote free); a bit left by a racing double free must not free a
     * slot of this one.
     * A program that frees twice, racing the release of the page, may still OR a bit in later: it lands in
     * this page's remote map, never in its free words, and never names a slot past its last ({@link #REMOTE},
     * {@link #drainRemote}) — the hazard that reusing a descriptor always had.
     */
    private void place(Chunk chunk, int firstUnit) {
        this.chunk = chunk;
        this.firstUnit = firstUnit;
        this.address = chunk.address + ((long) firstUnit << Chunk.UNIT_SHIFT);
        this.segment = chunk.segment.asSlice((long) firstUnit << Chunk.UNIT_SHIFT, cls.pageBytes());
        this.bits = chunk.metaAddress + (long) firstUnit * Chunk.META_PER_UNIT;
        for (int w = REMOTE; w < REMOTE + words; w++) {
            WORD.setVolatile(ALL, bits + 8L * w, 0L);
        }
        setWord(SUMMARY, 0L);
        setWord(SUMMARY + 1, 0L); // read by hasFree even where one summary word is enough
        for (int w = 0; w < words; w++) {
            setWord(FREE + w, validBits(w));
            setWord(SUMMARY + (w >>> 6), word(SUMMARY + (w >>> 6)) | 1L << w);
        }
    }

    /** Owner, allocator lock held, after the page left its chunk: lets go of the chunk's memory and mapping. */
    void detach() {
        chunk = null;
        segment = MemorySegment.NULL;
    }

    boolean hasFree() {
        return (word(SUMMARY) | word(SUMMARY + 1)) != 0;
    }

    /** Takes the lowest free slot and returns its byte offset in the page, or -1 if the page is full. */
    long allocSlot() {
        long b = bits;
        int s = 0;
        long sw = ALL.get(LONG, b);
        if (sw == 0) {
            if (summaryWords < 2 || (sw = ALL.get(LONG, b + 8)) == 0) {
                return -1;
            }
            s = 1;
        }
        int w = (s << 6) | Long.numberOfTrailingZeros(sw);
        long at = b + 8L * (FREE + w);
        long word = ALL.get(LONG, at);
        int bit = Long.numberOfTrailingZeros(word);
        word &= word - 1;
        ALL.set(LONG, at, word);
        if (word == 0) {
            ALL.set(LONG, b + 8L * s, sw & (sw - 1));
        }
        used++;
        allocations++;
        return (long) ((w << 6) | bit) * cls.slotSize;
    }

    /**
     * The slot that the block at {@code address} ({@code offset} bytes into this page) of {@code size}
     * bytes was allocated as; throws if it is not exactly an allocation of this page. Changes nothing.
     */
    int slotOf(long address, long offset, long size) {
        int slot = cls.slotOf(offset);
        if ((long) slot * cls.slotSize != offset || slot >= cls.slotCount || size > cls.slotSize || size <= 0) {
            throw notAnAllocation(address, offset, size);
        }
        return slot;
    }

    private InvalidFreeException notAnAllocation(long address, long offset, long size) {
        if (cls.remainderOf(offset) != 0) {
            return new InvalidFreeException(InvalidFreeException.Reason.SLICE, "segment at 0x"
                    + Long.toHexString(address) + " is a slice inside a " + cls.slotSize
                    + "-byte slot, not an allocation");
        }
        return new InvalidFreeException(InvalidFreeException.Reason.FOREIGN_SEGMENT, "segment at 0x"
                + Long.toHexString(address) + " of " + size
                + " bytes was not allocated here (slots are " + cls.slotSize + " bytes)");
    }

    /** Frees a slot by the owner. Throws on a double free before changing anything. */
    void freeLocal(int slot, long address) {
        int w = slot >>> 6;
        long bit = 1L << slot;
        long word = word(FREE + w);
        if ((word & bit) != 0 || ((long) WORD.getVolatile(ALL, bits + 8L * (REMOTE + w)) & bit) != 0) {
            throw doubleFree(address);
        }
        setWord(FREE + w, word | bit);
        if (word == 0) {
            setWord(SUMMARY + (w >>> 6), word(SUMMARY + (w >>> 6)) | 1L << w);
        }
        used--;
    }

    /**
     * Frees a slot from a thread that does not own the page. Throws on a double free before changing
     * anything. Returns true if the caller must push the page onto its heap's remote stack.
     */
    boolean freeRemote(int slot, long address) {
        int w = slot >>> 6;
        long bit = 1L << slot;
        // The owner writes free words with plain stores. If this slot was handed to this thread properly,
        // the owner's clearing of its bit happened-before this read; a set bit means the slot is free.
        if (((long) WORD.getAcquire(ALL, bits + 8L * (FREE + w)) & bit) != 0) {
            throw doubleFree(address);
        }
        long old = (long) WORD.getAndBitwiseOr(ALL, bits + 8L * (REMOTE + w), bit);
        if ((old & bit) != 0) {
            throw doubleFree(address); // the OR changed nothing: the bit was set already
        }
        return (int) REMOTE_QUEUED.getVolatile(this) == 0 && REMOTE_QUEUED.compareAndSet(this, 0, 1);
    }

    static InvalidFreeException doubleFree(long address) {
        return new InvalidFreeException(InvalidFreeException.Reason.DOUBLE_FREE, "block at 0x"
                + Long.toHexString(address) + " is freed already");
    }

    /**
     * Owner: moves the slots freed by other threads into the local bitmap. Returns how many slots were
     * collected. See the class comment for why no remote free is missed.
     */
    int collectRemote() {
        REMOTE_QUEUED.setVolatile(this, 0);
        return drainRemote();
    }

    /**
     * Owner: moves the slots freed by other threads into the local bitmap without touching the queued
     * flag. For a page that may be on its way onto a remote stack (its flag set by a freer that has not
     * pushed yet): clearing the flag then would let a second push link the page twice.
     */
    int drainRemote() {
        int collected = 0;
        for (int w = 0; w < words; w++) {
            long at = bits + 8L * (REMOTE + w);
            if ((long) WORD.getVolatile(ALL, at) != 0) {
                long r = (long) WORD.getAndSet(ALL, at, 0L) & validBits(w);
                long word = word(FREE + w);
                // A bit set in both maps is a local and a remote free of one slot racing: count it once.
                r &= ~word;
                setWord(FREE + w, word | r);
                if (word == 0 && r != 0) {
                    setWord(SUMMARY + (w >>> 6), word(SUMMARY + (w >>> 6)) | 1L << w);
                }
                int n = Long.bitCount(r);
                used -= n;
                collected += n;
            }
        }
        return collected;
    }

    /** The bits of free word {@code w} that are slots of this page. */
    private long validBits(int w) {
        int n = cls.slotCount - (w << 6);
        return n >= 64 ? -1L : (1L << n) - 1;
    }

    /**
     * Checks this page's bitmaps against its counters; for verification while no thread uses the page.
     * Returns a description of the first inconsistency, or null.
     */
    String inconsistency() {
        int free = 0;
        for (int w = 0; w < words; w++) {
            long word = word(FREE + w);
            free += Long.bitCount(word);
            boolean summarized = (word(SUMMARY + (w >>> 6)) & (1L << w)) != 0;
            if (summarized != (word != 0)) {
                return "summary bit of word " + w + " is " + summarized + " but the word is " + word;
            }
            if ((word & word(REMOTE + w)) != 0) {
                return "slots both free and freed remotely in word " + w;
            }
            if ((word & ~validBits(w)) != 0) {
                return "free bits beyond the last slot in word " + w;
            }
        }
        if (free + used != cls.slotCount) {
            return free + " free + " + used + " used != " + cls.slotCount + " slots";
        }
        return null;
    }

    /** Slots freed by other threads and not yet collected; racy, for metrics. */
    int pendingRemote() {
        int n = 0;
        for (int w = REMOTE; w < REMOTE + words; w++) {
            n += Long.bitCount((long) WORD.getOpaque(ALL, bits + 8L * w));
        }
        return n;
    }

    /** Whether slot {@code slot} is allocated (neither free nor freed remotely); for verification. */
    boolean isAllocated(int slot) {
        int w = slot >>> 6;
        long bit = 1L << slot;
        return ((long) WORD.getAcquire(ALL, bits + 8L * (FREE + w)) & bit) == 0
                && ((long) WORD.getVolatile(ALL, bits + 8L * (REMOTE + w)) & bit) == 0;
    }

    /** Number of slots allocated by the owner's view (remote frees not yet collected count as used). */
    int usedSlots() {
        return used;
    }
}
