package org.mm4j.bench.peer;

import java.lang.foreign.Arena;

/**
 * {@code ffm-confined} and {@code ffm-shared}: one JDK {@link Arena} per allocation, closed to free it —
 * the only way to free FFM memory one block at a time without a library. Each {@code allocate} is a
 * malloc, zeroing and a cleanup record; closing a shared arena is a handshake with every thread. A
 * confined arena may be closed only by the thread that opened it.
 */
final class FfmArenaPeer extends SegmentPeer {
    private final boolean shared;
    private final Arena[] arenas;
    private final long glibcBaseline = GlibcHeap.baseline();

    FfmArenaPeer(int slots, boolean shared) {
        super(slots);
        this.shared = shared;
        this.arenas = new Arena[slots];
    }

    @Override
    public String name() {
        return shared ? "ffm-shared" : "ffm-confined";
    }

    @Override
    public void allocate(int slot, int size) {
        Arena arena = shared ? Arena.ofShared() : Arena.ofConfined();
        arenas[slot] = arena;
        blocks[slot] = arena.allocate(size, 8);
    }

    @Override
    public void free(int slot) {
        Arena arena = arenas[slot];
        arenas[slot] = null;
        blocks[slot] = null;
        arena.close();
    }

    /** Moves the arena along with its block. */
    @Override
    public void move(int from, int to) {
        super.move(from, to);
        arenas[to] = arenas[from];
        arenas[from] = null;
    }

    @Override
    public boolean freesFromAnyThread() {
        return shared;
    }

    @Override
    public long committedBytes() {
        return GlibcHeap.since(glibcBaseline);
    }

    @Override
    public String committedSource() {
        return GlibcHeap.SOURCE;
    }

}
