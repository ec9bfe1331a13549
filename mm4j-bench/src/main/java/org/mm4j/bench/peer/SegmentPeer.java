package org.mm4j.bench.peer;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/** A peer whose blocks are {@link MemorySegment}s: mm4j's allocators and the JDK's arenas. */
abstract class SegmentPeer extends ArrayPeer<MemorySegment> {
    static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;
    /** Coordinates (segment, offset); aligned, as opaque stores need (blocks are 8-aligned). */
    static final VarHandle WORD_HANDLE = ValueLayout.JAVA_LONG.varHandle();

    SegmentPeer(int slots) {
        super(new MemorySegment[slots]);
    }

    @Override
    public final void write(int slot, long value) {
        blocks[slot].set(WORD, 0, value);
    }

    @Override
    public final void writeOpaque(int slot, long value) {
        WORD_HANDLE.setOpaque(blocks[slot], 0L, value);
    }
}
