package org.mm4j.internal.heap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One mark bit per object id, for the old-space marking (see {@link Marking}).
 *
 * <pre>
 *   pages[id &gt;&gt;&gt; 16]            one page per 2^16 ids (half a handle-table block), made on first use
 *     word (id &gt;&gt;&gt; 6) &amp; 1023     1024 longs = 8 KiB a page
 *       bit id &amp; 63
 * </pre>
 *
 * Pages are made lazily, published with a CAS on their slot, and never replaced or dropped, so a bit set
 * in a page stays in it: writers on several threads (marker threads, mutators allocating black) never
 * lose each other's bits. Bits are set with an atomic OR ({@link #mark}); reads are plain, and callers
 * use them only as filters that a later atomic {@link #mark} confirms, or with the world stopped.
 * {@link #clear} is plain and runs only while no thread sets bits (the collector's idle phase or a
 * pause).
 *
 * <p>Memory: one bit per id that was ever handed out, rounded up to 64 Ki ids: 1/128 of the handle
 * table. It lives on the Java heap and is not charged to the heap's budget.
 */
final class MarkBitmap {
    static final int PAGE_SHIFT = 16;
    private static final int WORDS_PER_PAGE = 1 << (PAGE_SHIFT - 6);
    private static final VarHandle PAGES = MethodHandles.arrayElementVarHandle(long[][].class);
    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle MADE;

    static {
        try {
            MADE = MethodHandles.lookup().findVarHandle(MarkBitmap.class, "madePages", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long[][] pages;
    /** One past the highest page made: every set bit is in pages [0, madePages). Only grows. */
    private volatile int madePages;

    MarkBitmap(int maxIds) {
        this.pages = new long[(int) (((long) maxIds + (1 << PAGE_SHIFT) - 1) >>> PAGE_SHIFT)][];
    }

    /** Whether {@code id}'s bit is set: a plain read (see the class comment). */
    boolean isMarked(int id) {
        long[] page = pages[id >>> PAGE_SHIFT];
        return page != null && (page[(id >>> 6) & (WORDS_PER_PAGE - 1)] & (1L << id)) != 0;
    }

    /** Sets {@code id}'s bit; returns true if this call set it (it was clear). Thread-safe. */
    boolean mark(int id) {
        long[] page = page(id >>> PAGE_SHIFT);
        int w = (id >>> 6) & (WORDS_PER_PAGE - 1);
        long bit = 1L << id;
        if ((page[w] & bit) != 0) {
            return false; // racy pre-check: a set bit is never cleared while marking runs
        }
        return ((long) WORDS.getAndBitwiseOr(page, w, bit) & bit) == 0;
    }

    /**
     * Sets {@code id}'s bit with a plain write: only while every other thread that sets bits is stopped
     * (in a pause), where {@link #mark}'s atomic OR would pay for nothing.
     */
    void markInPause(int id) {
        long[] page = page(id >>> PAGE_SHIFT);
        page[(id >>> 6) & (WORDS_PER_PAGE - 1)] |= 1L << id;
    }

    private long[] page(int p) {
        long[] page = (long[]) PAGES.getAcquire(pages, p);
        if (page != null) {
            return page;
        }
        long[] fresh = new long[WORDS_PER_PAGE];
        long[] witness = (long[]) PAGES.compareAndExchangeRelease(pages, p, null, fresh);
        if (witness != null) {
            return witness;
        }
        int made;
        while ((made = madePages) <= p) {
            if (MADE.compareAndSet(this, made, p + 1)) {
                break;
            }
        }
        return fresh;
    }

    /** Clears the bits of pages {@code [from, to)}. No thread may set bits meanwhile. */
    void clearPages(int from, int to) {
        for (int p = from; p < to; p++) {
            if (pages[p] != null) {
                Arrays.fill(pages[p], 0);
            }
        }
    }

    /** One past the highest page made: every set bit is in pages {@code [0, pageCount())}. */
    int pageCount() {
        return madePages;
    }

    /** Clears every bit. No thread may set bits meanwhile. */
    void clear() {
        clearPages(0, madePages);
    }
}
