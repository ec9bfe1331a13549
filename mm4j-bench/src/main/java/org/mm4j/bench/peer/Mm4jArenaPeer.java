package org.mm4j.bench.peer;

import org.mm4j.alloc.BumpArena;

/**
 * {@code mm4j-arena}: mm4j's bump arena with its defaults; each batch ends with a reset to the mark taken
 * at its start. Confined to the thread that built it.
 */
final class Mm4jArenaPeer extends BumpPeer {
    private final BumpArena arena = BumpArena.builder().build();
    private BumpArena.Mark start;

    Mm4jArenaPeer(int slots) {
        super(slots);
    }

    @Override
    public String name() {
        return "mm4j-arena";
    }

    @Override
    public void beginBatch() {
        start = arena.mark();
    }

    @Override
    public void allocate(int slot, int size) {
        blocks[slot] = arena.allocate(size, 8);
    }

    @Override
    public void endBatch() {
        arena.reset(start);
    }

    @Override
    public long committedBytes() {
        return arena.metrics().committedBytes();
    }

    @Override
    public String committedSource() {
        return Mm4jPeer.COMMITTED_SOURCE;
    }

    @Override
    public void close() {
        super.close();
        arena.resetAll();
        arena.close();
    }
}
