package org.mm4j.bench.peer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * {@code java-new}: {@code new byte[size]} on the Java heap; a free drops the reference, and the
 * collector's work is part of the measured time.
 */
final class JavaNewPeer extends ArrayPeer<byte[]> {
    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    JavaNewPeer(int slots) {
        super(new byte[slots][]);
    }

    @Override
    public String name() {
        return "java-new";
    }

    @Override
    public void allocate(int slot, int size) {
        blocks[slot] = new byte[size];
    }

    @Override
    public void free(int slot) {
        blocks[slot] = null;
    }

    @Override
    public void write(int slot, long value) {
        WORD.set(blocks[slot], 0, value);
    }

    /**
     * A plain store then a release fence: the fence keeps the JIT from merging repeated stores (a byte[]
     * view has no opaque access: the array's base need not be 8-aligned).
     */
    @Override
    public void writeOpaque(int slot, long value) {
        WORD.set(blocks[slot], 0, value);
        VarHandle.releaseFence();
    }

    /** The committed Java heap: it holds these blocks and everything else the JVM keeps. */
    @Override
    public long committedBytes() {
        return Runtime.getRuntime().totalMemory();
    }

    @Override
    public String committedSource() {
        return "Runtime.totalMemory() (the whole Java heap)";
    }
}
