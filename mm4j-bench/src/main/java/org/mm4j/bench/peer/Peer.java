package org.mm4j.bench.peer;

/**
 * One allocator under test, behind the few operations the workloads need, so that every workload runs
 * unchanged against every allocator.
 *
 * <p>Blocks live in numbered <em>slots</em>: {@code allocate(slot, size)} puts a new block into a slot,
 * {@code free(slot)} frees the block in it and empties the slot, {@code move(from, to)} hands a block to
 * another slot without touching the allocator (how a block travels to another thread). Each peer keeps
 * its blocks in an array of its own handle type ({@code long} addresses for malloc, {@code MemorySegment}
 * for mm4j and the FFM arenas, {@code ByteBuf} for Netty, {@code byte[]} for Java), so nothing is boxed
 * and every peer pays the same one array store and load per operation.
 *
 * <p>Every JMH fork runs one workload with one peer, so each call site here sees one implementation and
 * the JIT inlines it: the interface costs nothing.
 *
 * <p>Threads: a slot is used by one thread at a time; a block handed over through a slot is published by
 * the workload's own release/acquire (its ring buffers, or the start of a round). Peers that cannot free
 * from another thread say so in {@link #freesFromAnyThread()}; peers that free only as a whole (bump
 * arenas) say so in {@link #freesOneByOne()}, and the workloads refuse them where that matters.
 */
public interface Peer extends AutoCloseable {

    /** The peer's name in reports: {@code mm4j}, {@code glibc}, {@code netty-pooled}, … */
    String name();

    /** Allocates {@code size} bytes (aligned to at least 8) into the empty {@code slot}. */
    void allocate(int slot, int size);

    /** Frees the block in {@code slot} and empties the slot. Arenas: only empties the slot. */
    void free(int slot);

    /** Moves the block in {@code from} to the empty slot {@code to}; {@code from} becomes empty. */
    void move(int from, int to);

    /** Whether {@code slot} holds a block. */
    boolean occupied(int slot);

    /** Writes {@code value} into the first 8 bytes of the block in {@code slot}. */
    void write(int slot, long value);

    /**
     * Writes {@code value} into the first 8 bytes of the block in {@code slot} so that the store is
     * really made each time (opaque access): repeated writes are not merged by the JIT.
     */
    void writeOpaque(int slot, long value);

    /** Starts a batch (arenas: take a mark). */
    default void beginBatch() {}

    /** Ends a batch whose blocks were all freed (arenas: reset to the mark). */
    default void endBatch() {}

    /** Whether a block may be freed by a thread other than the one that allocated it. */
    default boolean freesFromAnyThread() {
        return true;
    }

    /** Whether blocks are freed one at a time (false: only a whole batch is released). */
    default boolean freesOneByOne() {
        return true;
    }

    /**
     * The memory the allocator holds from the OS by its own account, in bytes, or -1 when it has no such
     * figure. {@link #committedSource()} says where the figure comes from.
     */
    default long committedBytes() {
        return -1;
    }

    /** Where {@link #committedBytes()} comes from, for the report. */
    default String committedSource() {
        return "none";
    }

    /** Frees every block still in a slot, then releases the allocator. */
    @Override
    void close();
}
