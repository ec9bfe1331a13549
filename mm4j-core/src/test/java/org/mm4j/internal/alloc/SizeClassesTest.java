package org.mm4j.internal.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SizeClassesTest {

    @Test
    void everySizeGetsTheSmallestClassThatHoldsIt() {
        for (int size = 1; size <= SizeClasses.MAX_CLASS_BYTES; size++) {
            int c = SizeClasses.indexOf(size);
            int slot = SizeClasses.sizeOf(c);
            assertTrue(slot >= size, "class of " + size + " too small: " + slot);
            if (c > 0) {
                assertTrue(SizeClasses.sizeOf(c - 1) < size, "a smaller class holds " + size);
            }
        }
        assertEquals(SizeClasses.COUNT - 1, SizeClasses.indexOf(SizeClasses.MAX_CLASS_BYTES));
        assertEquals(SizeClasses.MAX_CLASS_BYTES, SizeClasses.sizeOf(SizeClasses.COUNT - 1));
    }

    @Test
    void internalWasteIsWithinTheStatedBound() {
        for (int size = 1; size <= SizeClasses.MAX_CLASS_BYTES; size++) {
            int slot = SizeClasses.sizeOf(SizeClasses.indexOf(size));
            if (size <= 64) {
                assertTrue(slot - size <= 7, "waste of " + size);
            } else {
                assertTrue((long) (slot - size) * 9 < slot, "waste of " + size + " in slot " + slot);
            }
            assertEquals(0, slot % 8, "every class is a multiple of 8");
        }
    }

    @Test
    void alignedLookupPicksAClassWhoseSlotsAreAligned() {
        for (long align = 16; align <= 65536; align <<= 1) {
            for (int size : new int[] {1, 17, 100, 1000, 5000, 70_000}) {
                int c = SizeClasses.indexOf(size, align);
                assertTrue(c >= 0);
                assertEquals(0, SizeClasses.sizeOf(c) % align);
                assertTrue(SizeClasses.sizeOf(c) >= size);
            }
        }
    }

    @Test
    void pageGeometryAndReciprocalDivisionAreExact() {
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            PageClass pc = new PageClass(c, SizeClasses.sizeOf(c));
            assertTrue(pc.slotCount >= PageClass.MIN_SLOTS && pc.slotCount <= Page.MAX_SLOTS, "slots of class " + c);
            assertTrue((long) pc.slotCount * pc.slotSize <= pc.pageBytes());
            assertTrue(pc.units >= 1 && pc.units <= Chunk.UNITS);
            long step = Math.max(1, pc.pageBytes() / 20_000);
            for (long off = 0; off < pc.pageBytes(); off += step) {
                assertEquals(off / pc.slotSize, pc.slotOf(off), "slot of " + off + " in class " + pc.slotSize);
                assertEquals(off % pc.slotSize, pc.remainderOf(off), "remainder of " + off);
            }
        }
        // odd slab sizes too
        for (int slot : new int[] {8, 24, 72, 136, 1000, 4104, 262_144}) {
            PageClass pc = new PageClass(0, slot);
            for (long off = 0; off < pc.pageBytes(); off += 7) {
                assertEquals(off / slot, pc.slotOf(off));
                assertEquals(off % slot, pc.remainderOf(off));
            }
        }
    }

    @Test
    void mediumBlocksTakeWholeUnitsWithLessThanAUnitOfWaste() {
        PageClass first = null;
        for (long size = SizeClasses.MAX_CLASS_BYTES + 1; size <= SizeClasses.MAX_MEDIUM_BYTES; size += 4093) {
            int c = SizeClasses.mediumIndexOf(size);
            assertTrue(c >= SizeClasses.COUNT && c < SizeClasses.COUNT + SizeClasses.MEDIUM_COUNT, "index of " + size);
            PageClass pc = PageClass.singleSlot(c, SizeClasses.MEDIUM_MIN_UNITS + c - SizeClasses.COUNT);
            assertEquals(1, pc.slotCount);
            assertTrue(pc.slotSize >= size && pc.slotSize - size < Chunk.UNIT_SIZE, "slot of " + size);
            assertEquals(pc.slotSize, pc.pageBytes());
            if (first == null) {
                first = pc;
            }
        }
        assertEquals(SizeClasses.MAX_CLASS_BYTES + Chunk.UNIT_SIZE, first.slotSize);
        assertEquals(SizeClasses.COUNT + SizeClasses.MEDIUM_COUNT - 1,
                SizeClasses.mediumIndexOf(SizeClasses.MAX_MEDIUM_BYTES));
    }
}
