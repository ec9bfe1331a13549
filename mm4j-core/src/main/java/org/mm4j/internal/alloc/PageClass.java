package org.mm4j.internal.alloc;

/**
 * The geometry of pages that hold slots of one size: how many 64 KiB units a page spans, how many slots
 * it has, and the reciprocal that turns a byte offset into a slot index without a division.
 *
 * <p>A page spans enough units for at least {@link #MIN_SLOTS} slots (one unit for slots up to 8 KiB,
 * up to 32 units for 256 KiB slots) and has at most {@link Page#MAX_SLOTS} slots.
 */
final class PageClass {
    static final int MIN_SLOTS = 8;

    final int index;
    final int slotSize;
    final int units;
    final int slotCount;
    /**
     * Whether a heap keeps an empty page of this class (as its current page or spare) for reuse. Not for
     * single-slot medium pages: up to 2 MiB each, they go back to their chunk at once, where their units
     * stay committed for the purge delay and serve the next page request of any class.
     */
    final boolean keepEmpty;
    /** {@code ceil(2^64 / slotSize)}: Lemire's fast division and modulo for 32-bit operands. */
    private final long reciprocal;

    PageClass(int index, int slotSize) {
        this(index, slotSize, (int) Math.min(Chunk.UNITS,
                Math.max(1, ((long) MIN_SLOTS * slotSize + Chunk.UNIT_SIZE - 1) >>> Chunk.UNIT_SHIFT)));
    }

    /** A class whose pages span {@code units} units; as many slots as fit, at most {@link Page#MAX_SLOTS}. */
    PageClass(int index, int slotSize, int units) {
        this.index = index;
        this.slotSize = slotSize;
        this.units = units;
        this.slotCount = (int) Math.min(Page.MAX_SLOTS, ((long) units << Chunk.UNIT_SHIFT) / slotSize);
        this.keepEmpty = slotCount > 1;
        this.reciprocal = Long.divideUnsigned(-1L, slotSize) + 1;
    }

    /** A class of pages of {@code units} units holding a single slot of the same size (medium blocks). */
    static PageClass singleSlot(int index, int units) {
        return new PageClass(index, units << Chunk.UNIT_SHIFT, units);
    }

    /** {@code offset / slotSize} for {@code 0 <= offset < 2^32}. */
    int slotOf(long offset) {
        return (int) Math.unsignedMultiplyHigh(reciprocal, offset);
    }

    /** {@code offset % slotSize} for {@code 0 <= offset < 2^32}. */
    int remainderOf(long offset) {
        return (int) Math.unsignedMultiplyHigh(reciprocal * offset, slotSize);
    }

    long pageBytes() {
        return (long) units << Chunk.UNIT_SHIFT;
    }
}
