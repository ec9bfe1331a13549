package org.mm4j.bench.peer;

/**
 * A bump allocator as a peer: a free only empties the slot, and the memory of a batch comes back at once
 * at {@link #endBatch()}. Used from the thread that built it only.
 */
abstract class BumpPeer extends SegmentPeer {
    BumpPeer(int slots) {
        super(slots);
    }

    @Override
    public final void free(int slot) {
        blocks[slot] = null;
    }

    @Override
    public final boolean freesFromAnyThread() {
        return false;
    }

    @Override
    public final boolean freesOneByOne() {
        return false;
    }
}
