package org.mm4j.internal.alloc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the chunk that holds an address, for every paged allocator in the process: a two-level radix
 * table over the 48-bit address space (16384 x 4096 entries of 4 MiB), with a hash map for addresses
 * above it. Lookups take two array loads and no lock; updates happen when chunks are mapped and
 * unmapped.
 */
final class ChunkRegistry {
    private static final int LEAF_BITS = 12;
    private static final int ROOT_BITS = 48 - Chunk.SHIFT - LEAF_BITS;
    private static final VarHandle ROOT_ELEMENT = MethodHandles.arrayElementVarHandle(Chunk[][].class);
    private static final VarHandle LEAF_ELEMENT = MethodHandles.arrayElementVarHandle(Chunk[].class);

    private static final Chunk[][] ROOT = new Chunk[1 << ROOT_BITS][];
    private static final ConcurrentHashMap<Long, Chunk> HIGH = new ConcurrentHashMap<>();

    private ChunkRegistry() {}

    /** The registered chunk containing {@code address}, or null. */
    static Chunk lookup(long address) {
        long key = address >>> Chunk.SHIFT;
        long rootIndex = key >>> LEAF_BITS;
        if (rootIndex >= ROOT.length) {
            return address < 0 ? null : HIGH.get(key);
        }
        Chunk[] leaf = (Chunk[]) ROOT_ELEMENT.getAcquire(ROOT, (int) rootIndex);
        return leaf == null ? null : (Chunk) LEAF_ELEMENT.getAcquire(leaf, (int) (key & ((1 << LEAF_BITS) - 1)));
    }

    static void register(Chunk chunk) {
        set(chunk.address, chunk);
    }

    static void unregister(Chunk chunk) {
        set(chunk.address, null);
    }

    private static void set(long address, Chunk chunk) {
        long key = address >>> Chunk.SHIFT;
        long rootIndex = key >>> LEAF_BITS;
        if (rootIndex >= ROOT.length) {
            if (chunk == null) {
                HIGH.remove(key);
            } else {
                HIGH.put(key, chunk);
            }
            return;
        }
        Chunk[] leaf = (Chunk[]) ROOT_ELEMENT.getAcquire(ROOT, (int) rootIndex);
        if (leaf == null) {
            Chunk[] fresh = new Chunk[1 << LEAF_BITS];
            Chunk[] witness = (Chunk[]) ROOT_ELEMENT.compareAndExchangeRelease(ROOT, (int) rootIndex, null, fresh);
            leaf = witness == null ? fresh : witness;
        }
        LEAF_ELEMENT.setRelease(leaf, (int) (key & ((1 << LEAF_BITS) - 1)), chunk);
    }
}
