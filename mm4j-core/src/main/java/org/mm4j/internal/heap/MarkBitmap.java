package org.mm4j.internal.heap;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.mm4j.internal.os.Mapping;
import org.mm4j.internal.os.NativeMemory;

/**
 * One mark bit per object id, for the old-space marking (see {@link Marking}).
 *
 * <pre>
 *   word id &gt;&gt;&gt; 6 of a mapping of its own    one bit per id of the heap's id space
 *     bit id &amp; 63                            pages of 2^16 ids (8 KiB): the unit of clearing
 * </pre>
 *
 * The bitmap is a mapping off the Java heap, reserved for the whole id space and committed as ids are
 * marked (Linux; elsewhere committed whole), and it stays committed (clearing writes zeros): on the Java heap its pages grew with the id space, and the
 * JVM's collector copied each new one. Bits are set with an atomic OR ({@link #mark}), so writers on
 * several threads (marker threads, mutators allocating black) never lose each other's bits; reads are
 * plain, and callers use them only as filters that a later atomic {@link #mark} confirms, or with the
 * world stopped. {@link #clear} is plain and runs only while no thread sets bits (the collector's idle
 * phase or a pause). Every access is made inside an operation or with the world stopped, so none comes
 * after the heap's close unmaps it.
 *
 * <p>Memory: one bit per id that was ever marked, in 8 KiB pages: 1/128 of the handle table. It is not
 * charged to the heap's budget.
 */
final class MarkBitmap implements AutoCloseable {
    static final int PAGE_SHIFT = 16;
    private static final long PAGE_BYTES = 1L << (PAGE_SHIFT - 3);
    private static final MemorySegment ALL = NativeMemory.ALL;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    /** Atomic access to a word: (ALL, address). */
    private static final VarHandle WORD = LONG.varHandle();
    private static final VarHandle MADE;

    static {
        try {
            MADE = MethodHandles.lookup().findVarHandle(MarkBitmap.class, "madePages", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Mapping mapping;
    private final long base;
    /** One past the highest page a bit was set in: every set bit is in pages [0, madePages). Only grows. */
    private volatile int madePages;

    MarkBitmap(int maxIds) {
        long pages = ((long) maxIds + (1 << PAGE_SHIFT) - 1) >>> PAGE_SHIFT;
        this.mapping = NativeMemory.map(NativeMemory.pageAligned(pages * PAGE_BYTES), NativeMemory.PAGE_SIZE);
        this.base = mapping.address();
    }

    private long wordAddress(int id) {
        return base + ((long) (id >>> 6) << 3);
    }

    /** Whether {@code id}'s bit is set: a plain read (see the class comment). */
    boolean isMarked(int id) {
        return (ALL.get(LONG, wordAddress(id)) & (1L << id)) != 0;
    }

    /** Sets {@code id}'s bit; returns true if this call set it (it was clear). Thread-safe. */
    boolean mark(int id) {
        long at = wordAddress(id);
        long bit = 1L << id;
        if ((ALL.get(LONG, at) & bit) != 0) {
            return false; // racy pre-check: a set bit is never cleared while marking runs
        }
        made(id >>> PAGE_SHIFT);
        return ((long) WORD.getAndBitwiseOr(ALL, at, bit) & bit) == 0;
    }

    /**
     * Sets {@code id}'s bit with a plain write: only while every other thread that sets bits is stopped
     * (in a pause), where {@link #mark}'s atomic OR would pay for nothing.
     */
    void markInPause(int id) {
        long at = wordAddress(id);
        made(id >>> PAGE_SHIFT);
        ALL.set(LONG, at, ALL.get(LONG, at) | 1L << id);
    }

    /** Records that a bit of page {@code p} is about to be set. */
    private void made(int p) {
        int made;
        while ((made = madePages) <= p) {
            if (MADE.compareAndSet(this, made, p + 1)) {
                return;
            }
        }
    }

    /** Clears the bits of pages {@code [from, to)}. No thread may set bits meanwhile. */
    void clearPages(int from, int to) {
        if (to > from) {
            mapping.segment().asSlice(from * PAGE_BYTES, (to - from) * PAGE_BYTES).fill((byte) 0);
        }
    }

    /** One past the highest page a bit was set in: every set bit is in pages {@code [0, pageCount())}. */
    int pageCount() {
        return madePages;
    }

    /** Clears every bit. No thread may set bits meanwhile. */
    void clear() {
        clearPages(0, madePages);
    }

    /** Unmaps the bitmap, with the heap: no thread reads or sets bits any more. */
    @Override
    public void close() {
        mapping.close();
    }
}
