package org.mm4j.bench.peer;

import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import java.lang.invoke.VarHandle;

/**
 * {@code netty-pooled} and {@code netty-adaptive}: direct buffers from Netty's
 * {@link PooledByteBufAllocator} (jemalloc-style arenas and thread caches) and
 * {@link AdaptiveByteBufAllocator}, with Netty's defaults (leak detection included). A free is
 * {@code release()}.
 */
final class NettyPeer extends ArrayPeer<ByteBuf> {
    private final boolean adaptive;
    private final ByteBufAllocator allocator;

    NettyPeer(int slots, boolean adaptive) {
        super(new ByteBuf[slots]);
        this.adaptive = adaptive;
        this.allocator = adaptive ? new AdaptiveByteBufAllocator(true) : new PooledByteBufAllocator(true);
    }

    @Override
    public String name() {
        return adaptive ? "netty-adaptive" : "netty-pooled";
    }

    @Override
    public void allocate(int slot, int size) {
        blocks[slot] = allocator.directBuffer(size, size);
    }

    @Override
    public void free(int slot) {
        ByteBuf block = blocks[slot];
        blocks[slot] = null;
        block.release();
    }

    @Override
    public void write(int slot, long value) {
        blocks[slot].setLong(0, value);
    }

    /** A plain store then a release fence: the fence keeps the JIT from merging repeated stores. */
    @Override
    public void writeOpaque(int slot, long value) {
        blocks[slot].setLong(0, value);
        VarHandle.releaseFence();
    }

    @Override
    public long committedBytes() {
        return ((ByteBufAllocatorMetricProvider) allocator).metric().usedDirectMemory();
    }

    @Override
    public String committedSource() {
        return "metric().usedDirectMemory()";
    }
}
