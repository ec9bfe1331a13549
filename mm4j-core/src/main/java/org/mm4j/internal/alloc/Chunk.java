package org.mm4j.internal.alloc;

import java.lang.foreign.MemorySegment;
import org.mm4j.internal.os.Mapping;

/**
 * A 4 MiB region aligned to its size, divided into 64 units of 64 KiB; a page is a run of units.
 *
 * <pre>
 *   chunk address (4 MiB aligned)
 *   | unit 0 | unit 1 | ... | unit 63 |        a page = units [first, first + n)
 *   free(address): chunk = address &amp; ~(4 MiB - 1)   (found in the {@link ChunkRegistry})
 *                  unit  = (address - chunk) &gt;&gt;&gt; 16  ->  pages[unit]
 * </pre>
 *
 * <p>Unit state is two 64-bit masks, changed only under the owning allocator's lock:
 * {@code freeUnits} (not in any page) and {@code committedFree} (free but still holding physical memory,
 * waiting for the purge delay). {@code pages[u]} names the page covering unit u; it is written under the
 * lock and read without it by {@code free}, which is safe because a segment reaches a freeing thread only
 * through a happens-before chain that starts after its page was installed.
 *
 * <p>Beside it, a chunk has a mapping of its own for its pages' bitmaps ({@link Page}):
 * {@link #META_PER_UNIT} bytes per unit, a page's at its first unit's place. Committed as pages are carved
 * (about 1-2 KiB a page), outside the budget, as they were when they lay on the Java heap. The owner keeps
 * it mapped while it lives, for the next chunk, when the chunk is unmapped: a thread that frees twice
 * into a page as it is released may still touch its bitmaps, which must stay memory.
 */
final class Chunk {
    static final int UNIT_SHIFT = 16;
    static final int UNIT_SIZE = 1 << UNIT_SHIFT;
    static final int UNITS = 64;
    static final int SHIFT = 22;
    static final long SIZE = 1L << SHIFT;
    /** Bitmap bytes per unit: a page's bitmaps (the same size for every page), in whole cache lines. */
    static final int META_PER_UNIT = (Page.bitmapBytes() + 63) & -64;
    /** Bytes of a chunk's bitmap mapping. */
    static final long META_BYTES = (long) META_PER_UNIT * UNITS;

    final Mapping mapping;
    /** The pages' bitmaps ({@link #META_PER_UNIT} bytes per unit): its mapping (null for a test's), memory and address. */
    final Mapping meta;
    final MemorySegment metaSegment;
    final long metaAddress;
    final long address;
    final MemorySegment segment;
    final PagedAllocator owner;
    final Page[] pages = new Page[UNITS];

    /** Bit u set: unit u belongs to no page. Guarded by the owner's lock. */
    long freeUnits = -1L;
    /** Bit u set: unit u is free but still committed. Guarded by the owner's lock. */
    long committedFree;
    /** When each unit last became free and stayed committed, in {@link System#nanoTime()}. Guarded by the lock. */
    final long[] freedAt = new long[UNITS];
    /** Position in the owner's list of chunks with free units, or -1. Guarded by the lock. */
    int partialIndex = -1;

    Chunk(Mapping mapping, Mapping meta, PagedAllocator owner) {
        this(mapping, meta, meta.segment(), owner);
    }

    /** A chunk of no allocator whose bitmaps lie in {@code metaSegment} (tests that make pages by hand). */
    Chunk(Mapping mapping, MemorySegment metaSegment) {
        this(mapping, null, metaSegment, null);
    }

    private Chunk(Mapping mapping, Mapping meta, MemorySegment metaSegment, PagedAllocator owner) {
        if (metaSegment.byteSize() < META_BYTES && (meta != null || metaSegment.byteSize() < META_PER_UNIT)) {
            throw new IllegalArgumentException("bitmap memory too small: " + metaSegment.byteSize());
        }
        this.mapping = mapping;
        this.meta = meta;
        this.metaSegment = metaSegment;
        this.metaAddress = metaSegment.address();
        this.address = mapping.address();
        this.segment = mapping.segment();
        this.owner = owner;
    }

    /** The first unit of a free run of {@code n} units, preferring committed units; -1 if none. */
    int findRun(int n) {
        long runMask = n == 64 ? -1L : (1L << n) - 1;
        int best = -1;
        for (int u = 0; u + n <= UNITS; u++) {
            long m = runMask << u;
            if ((freeUnits & m) == m) {
                if ((committedFree & m) == m) {
                    return u;
                }
                if (best < 0) {
                    best = u;
                }
            }
        }
        return best;
    }

    /** The first unit of a free run of {@code n} units that are all still committed; -1 if none. */
    int findCommittedRun(int n) {
        long runMask = n == 64 ? -1L : (1L << n) - 1;
        long candidates = freeUnits & committedFree;
        for (int u = 0; u + n <= UNITS; u++) {
            long m = runMask << u;
            if ((candidates & m) == m) {
                return u;
            }
        }
        return -1;
    }

    /** Units in {@code committedFree} that became free at least {@code delay} nanoseconds before {@code now}. */
    long dueForPurge(long now, long delay) {
        long due = 0;
        for (long m = committedFree; m != 0; m &= m - 1) {
            int u = Long.numberOfTrailingZeros(m);
            if (now - freedAt[u] >= delay) {
                due |= 1L << u;
            }
        }
        return due;
    }

    static long mask(int first, int n) {
        return (n == 64 ? -1L : (1L << n) - 1) << first;
    }

    boolean isEmpty() {
        return freeUnits == -1L;
    }
}
