package org.mm4j.bench.peer;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A peer whose blocks are raw addresses in a {@code long[]}: native mallocs through FFM and mm4j's
 * address API. Writes go through one segment spanning the whole address space, unchecked, as C would.
 */
abstract class AddressPeer implements Peer {
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;
    /** Aligned, as opaque stores need (every peer's blocks are at least 8-aligned). */
    private static final VarHandle WORD_HANDLE = JAVA_LONG.varHandle();

    private final String name;
    final long[] blocks;

    AddressPeer(int slots, String name) {
        this.name = name;
        this.blocks = new long[slots];
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final void move(int from, int to) {
        blocks[to] = blocks[from];
        blocks[from] = 0;
    }

    @Override
    public final boolean occupied(int slot) {
        return blocks[slot] != 0;
    }

    @Override
    public final void write(int slot, long value) {
        ALL.set(WORD, blocks[slot], value);
    }

    @Override
    public final void writeOpaque(int slot, long value) {
        WORD_HANDLE.setOpaque(ALL, blocks[slot], value);
    }

    @Override
    public void close() {
        for (int i = 0; i < blocks.length; i++) {
            if (blocks[i] != 0) {
                free(i);
            }
        }
    }
}
