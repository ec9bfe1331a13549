package org.mm4j.bench.peer;

/** A peer whose blocks are Java objects of type {@code T}, kept in an array; an empty slot is null. */
abstract class ArrayPeer<T> implements Peer {
    final T[] blocks;

    ArrayPeer(T[] blocks) {
        this.blocks = blocks;
    }

    @Override
    public void move(int from, int to) {
        blocks[to] = blocks[from];
        blocks[from] = null;
    }

    @Override
    public final boolean occupied(int slot) {
        return blocks[slot] != null;
    }

    /** Frees every occupied slot. */
    final void freeAll() {
        for (int i = 0; i < blocks.length; i++) {
            if (blocks[i] != null) {
                free(i);
            }
        }
    }

    /** Frees every occupied slot; subclasses then release their allocator. */
    @Override
    public void close() {
        freeAll();
    }
}
