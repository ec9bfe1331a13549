package org.mm4j.bench.peer;

import org.mm4j.alloc.SizeClassAllocator;

/**
 * {@code mm4j-address}: mm4j's size-class allocator through its address API
 * ({@link SizeClassAllocator#allocateAddress}), on the same footing as the native peers: raw addresses,
 * no segment per block.
 */
final class Mm4jAddressPeer extends AddressPeer {
    private final SizeClassAllocator heap = SizeClassAllocator.builder().build();

    Mm4jAddressPeer(int slots) {
        super(slots, "mm4j-address");
    }

    @Override
    public void allocate(int slot, int size) {
        blocks[slot] = heap.allocateAddress(size);
    }

    @Override
    public void free(int slot) {
        long address = blocks[slot];
        blocks[slot] = 0;
        heap.freeAddress(address);
    }

    @Override
    public long committedBytes() {
        return heap.metrics().committedBytes();
    }

    @Override
    public String committedSource() {
        return Mm4jPeer.COMMITTED_SOURCE;
    }

    @Override
    public void close() {
        super.close();
        heap.close();
    }
}
