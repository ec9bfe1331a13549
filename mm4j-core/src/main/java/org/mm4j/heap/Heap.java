package org.mm4j.heap;

import com.google.errorprone.annotations.MustBeClosed;
import java.util.Objects;
import org.mm4j.internal.heap.HeapConfig;
import org.mm4j.internal.heap.HeapImpl;
import org.mm4j.os.MemoryBudget;

/**
 * A managed heap: objects of run-time {@link Type}s off the Java heap, whose lifetime a collector
 * manages.
 *
 * <h2>Handles</h2>
 * Java code holds objects through {@code long} handles: a 32-bit object id and the 32-bit generation of
 * that id. References stored inside objects are ids. A handle used after its object was freed throws
 * {@link StaleHandleException} and never reads reused memory; {@code 0} is the null handle.
 *
 * <h2>Roots</h2>
 * Roots are explicit. Every handle this heap returns — from {@link #allocate}, from reading a reference
 * field, from {@link GlobalHandle#get} — is registered in the calling thread's innermost open
 * {@link HandleScope}, and its object stays alive until that scope closes. A thread with no open scope
 * cannot obtain handles. Objects that must outlive a scope are held by a {@link GlobalHandle} (a root
 * until closed, or until the JVM collects the {@code GlobalHandle} object itself) or are reachable from
 * another root.
 *
 * <h2>Threads</h2>
 * Any number of threads may use a heap at once; each is attached on first use. Operations are
 * linearizable per object; a collection stops every attached thread at the boundary of its current
 * operation (a thread blocked outside mm4j never delays a collection). Fields written by one thread are
 * seen by another only through a happens-before edge of the program's own (as for Java fields).
 *
 * <h2>Errors</h2>
 * Every misuse throws before anything changes: {@link StaleHandleException}, {@link NullPointerException}
 * for a null handle where an object is needed, {@link IllegalArgumentException} for a field of another
 * type, {@link IndexOutOfBoundsException} for an array index, {@link org.mm4j.os.MemoryLimitExceededException}
 * when the heap's limit is reached even after a full collection, {@link IllegalStateException} after
 * {@link #close}.
 */
public sealed interface Heap extends AutoCloseable, Owning permits HeapImpl {

    /** A builder with the defaults. */
    static Builder builder() {
        return new Builder();
    }

    /** The name used in messages and statistics. */
    String name();

    /**
     * Opens a handle scope on the calling thread, nested in the thread's current one. Handles obtained
     * while it is open are roots until it closes.
     */
    @MustBeClosed
    HandleScope openHandleScope();

    // ---- scopes

    /**
     * Opens a scope confined to the calling thread, nested in the thread's innermost open scope if any:
     * region-based memory released when it closes (see {@link Scope}).
     */
    @MustBeClosed
    Scope openScope();

    /**
     * Opens a scope that any thread may use and close, nested in no other (see {@link Scope} for its
     * guarantees).
     */
    @MustBeClosed
    Scope openSharedScope();

    // ---- allocation

    /** A new object of struct type {@code type}, zeroed (references null). */
    long allocate(Type type);

    /** A new array of {@code length} elements of array type {@code type}, zeroed. */
    long allocateArray(Type type, int length);

    // ---- identity

    /** The type of the object; throws for stale and null handles. */
    Type typeOf(long handle);

    /** Whether the handle names a live object of this heap (false for 0 and stale handles). */
    boolean isLive(long handle);

    /** The object's id (the low 32 bits of the handle): what references inside objects store. */
    static int idOf(long handle) {
        return (int) handle;
    }

    /** The number of elements of an array object. */
    int length(long array);

    /** The bytes the object occupies in the heap, its header included (not its handle-table entry). */
    long sizeOf(long handle);

    // ---- struct fields

    byte get(long object, ByteField field);

    void set(long object, ByteField field, byte value);

    boolean get(long object, BooleanField field);

    void set(long object, BooleanField field, boolean value);

    short get(long object, ShortField field);

    void set(long object, ShortField field, short value);

    char get(long object, CharField field);

    void set(long object, CharField field, char value);

    int get(long object, IntField field);

    void set(long object, IntField field, int value);

    float get(long object, FloatField field);

    void set(long object, FloatField field, float value);

    long get(long object, LongField field);

    void set(long object, LongField field, long value);

    double get(long object, DoubleField field);

    void set(long object, DoubleField field, double value);

    /**
     * The object a reference field refers to, as a handle registered in the current handle scope, or 0
     * for null.
     */
    long get(long object, RefField field);

    /** Stores a reference ({@code 0} for null); {@code target} must be a live handle of this heap. */
    void set(long object, RefField field, long target);

    /** Copies the field's bytes into {@code destination}, which must be exactly as long as the field. */
    void get(long object, BytesField field, byte[] destination);

    /** Copies {@code source} into the field; a shorter source is padded with zeros, a longer one refused. */
    void set(long object, BytesField field, byte[] source);

    // ---- array elements (the array's element kind must match the accessor)

    byte getByte(long array, int index);

    void setByte(long array, int index, byte value);

    boolean getBoolean(long array, int index);

    void setBoolean(long array, int index, boolean value);

    char getChar(long array, int index);

    void setChar(long array, int index, char value);

    int getInt(long array, int index);

    void setInt(long array, int index, int value);

    long getLong(long array, int index);

    void setLong(long array, int index, long value);

    double getDouble(long array, int index);

    void setDouble(long array, int index, double value);

    float getFloat(long array, int index);

    void setFloat(long array, int index, float value);

    short getShort(long array, int index);

    void setShort(long array, int index, short value);

    /** The element as a handle registered in the current handle scope, or 0 for null. */
    long getRef(long array, int index);

    void setRef(long array, int index, long target);

    // ---- roots

    /**
     * Registers {@code object} in the calling thread's current handle scope, so that it stays alive while
     * the scope is open, and returns the handle (V8's {@code Local::New}). For a handle that came from
     * elsewhere — another thread, a closed scope — whose object may have no other root.
     *
     * @throws StaleHandleException if the object is gone already
     */
    long newLocal(long object);

    /**
     * A global handle to the object: a root until closed. If the returned object becomes unreachable in
     * the JVM without being closed, the JVM's collector lets mm4j's drop the root at its next collection.
     */
    @MustBeClosed
    GlobalHandle newGlobal(long object);

    /**
     * A weak global handle: not a root. When a collection finds its object unreachable, the handle is
     * cleared and {@code onCleared} (may be null) runs on the collecting thread after the collection.
     */
    @MustBeClosed
    WeakGlobal newWeakGlobal(long object, Runnable onCleared);

    /**
     * Pins the object: it stays alive and never moves until every pin of it is closed, and
     * {@link Pin#segment()} shows its contents at a fixed address (for native calls). A young object is
     * moved to the old space first. Writes through the segment bypass the write barrier: store
     * references through the heap only.
     *
     * @throws StaleHandleException if the object is gone
     * @throws IllegalStateException if it is pinned 65535 times already
     */
    @MustBeClosed
    Pin pin(long object);

    // ---- the collector

    /** The collector's controls and statistics. */
    GarbageCollector gc();

    /** Live objects and bytes now, per space and per type. */
    HeapStats stats();

    /**
     * Releases all the heap's memory. Every handle becomes stale and further use throws
     * {@link IllegalStateException}. Must not race with other threads' use of the heap.
     */
    @Override
    void close();

    /** Builds a {@link Heap}. */
    final class Builder {
        private String name = "heap";
        private long nurseryBytes = HeapConfig.DEFAULT_NURSERY_BYTES;
        private long limitBytes = Long.MAX_VALUE;
        private MemoryBudget budget;
        private int maxObjects = HeapConfig.DEFAULT_MAX_OBJECTS;
        private int tenuringThreshold = HeapConfig.DEFAULT_TENURING_THRESHOLD;
        private long pauseTargetNanos = HeapConfig.DEFAULT_PAUSE_TARGET_NANOS;
        private double oldGrowthFactor = HeapConfig.DEFAULT_OLD_GROWTH_FACTOR;
        private int collectorThreads = HeapConfig.defaultCollectorThreads();
        private boolean hugePages;

        Builder() {}

        /** The name used in messages and statistics. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * The nursery's size (default 8 MiB): young objects are allocated there and a minor collection
         * runs when eden is full — as much of its 80 % as the pause target allows (see
         * {@link #pauseTarget}). Rounded up to 64 KiB; at least 256 KiB.
         */
        public Builder nurseryBytes(long bytes) {
            if (bytes < HeapConfig.MIN_NURSERY_BYTES) {
                throw new IllegalArgumentException("nursery must be at least " + HeapConfig.MIN_NURSERY_BYTES
                        + " bytes: " + bytes);
            }
            this.nurseryBytes = bytes;
            return this;
        }

        /**
         * A hard limit on the heap's memory (nursery, objects and handle table) as mm4j commits it; default
         * none. With {@link #hugePages} the process's resident memory may exceed it by the huge pages'
         * rounding.
         */
        public Builder limitBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("limit must be positive: " + bytes);
            }
            this.limitBytes = bytes;
            return this;
        }

        /** A budget shared with other heaps or allocators; the heap's memory is charged to it. */
        public Builder budget(MemoryBudget budget) {
            this.budget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /**
         * The most objects alive at once (the id space; default 2^27, at most 2^31 - 1). Freed ids are
         * reused after a delay of later frees, 4096 or an eighth of the id space if that is less; the ids
         * waiting it out are not available meanwhile.
         */
        public Builder maxObjects(int maxObjects) {
            if (maxObjects < 1) {
                throw new IllegalArgumentException("maxObjects must be positive: " + maxObjects);
            }
            this.maxObjects = maxObjects;
            return this;
        }

        /**
         * How many minor collections an object survives in the nursery before promotion (default 2). While
         * more than half of what survived one collection survives the next too, survivors are promoted at
         * their first (re-measured every 16th collection; not below 64 KiB of survivors); and a type whose
         * young objects nearly all survive their first collection is allocated in the old space directly.
         */
        public Builder tenuringThreshold(int collections) {
            if (collections < 1 || collections > HeapConfig.MAX_TENURING_THRESHOLD) {
                throw new IllegalArgumentException("tenuring threshold must be in [1, "
                        + HeapConfig.MAX_TENURING_THRESHOLD + "]: " + collections);
            }
            this.tenuringThreshold = collections;
            return this;
        }

        /**
         * The pause the collector aims at (default 1 ms, at least 50 µs): minor collections use as much of
         * eden as fits in it (measured after each one), and the remark of an old collection and each step
         * of an evacuation stop after a third of it (the old collection sweeps beside the program). A full collection ({@code gc().collect()}) is not bounded.
         *
         * @throws IllegalArgumentException if shorter than 50 µs
         * @throws NullPointerException if null
         */
        public Builder pauseTarget(java.time.Duration target) {
            long nanos;
            try {
                nanos = Objects.requireNonNull(target, "target").toNanos();
            } catch (ArithmeticException e) {
                nanos = Long.MAX_VALUE;
            }
            if (nanos < HeapConfig.MIN_PAUSE_TARGET_NANOS) {
                throw new IllegalArgumentException("pause target must be at least "
                        + HeapConfig.MIN_PAUSE_TARGET_NANOS / 1000 + " µs: " + target);
            }
            this.pauseTargetNanos = nanos;
            return this;
        }

        /**
         * How far the old space may grow past what the last old collection left before the next one
         * should have ended (default 2.0, as Go's {@code GOGC=100}): the next starts early enough for
         * that, or sooner, once the garbage the last ones found has likely reached half that room (with
         * 2.0, half the live set). Larger: fewer old collections, more memory. At least 1.1; also
         * {@link GarbageCollector#setOldGrowthFactor}.
         *
         * @throws IllegalArgumentException if below 1.1, infinite or NaN
         */
        public Builder oldGrowthFactor(double factor) {
            HeapConfig.checkGrowthFactor(factor);
            this.oldGrowthFactor = factor;
            return this;
        }

        /**
         * Threads that mark the old space beside the program, and sweep it (default: one per four
         * processors, at least one). With 0, old collections are incremental: the threads that allocate
         * do the marking in slices, and the sweeping. At most 64.
         *
         * @throws IllegalArgumentException if negative or above 64
         */
        public Builder collectorThreads(int threads) {
            if (threads < 0 || threads > HeapConfig.MAX_COLLECTOR_THREADS) {
                throw new IllegalArgumentException("collector threads must be in [0, "
                        + HeapConfig.MAX_COLLECTOR_THREADS + "]: " + threads);
            }
            this.collectorThreads = threads;
            return this;
        }

        /**
         * Whether the old space and the handle table ask the OS for transparent huge pages (default false;
         * Linux, where {@code /sys/kernel/mm/transparent_hugepage/enabled} is {@code madvise} or
         * {@code always}). A large heap is read at random — by marking, by sweeping, by the program —
         * and with 4 KiB pages nearly every such read also misses the TLB; with 2 MiB pages far fewer
         * do: in {@code bench gc} (2 GiB live) the collector took about a quarter less CPU. The costs:
         * latency, as the first touch of each 2 MiB range happens at once inside whichever operation
         * touches it (there, the operations' response p99 went from about 1 ms to 6-7 ms while the old
         * space grew), and on a machine whose memory is fragmented may wait for the kernel to compact
         * memory (its {@code defrag} setting); and resident memory, as the OS backs a touched range
         * whole — up to 2 MiB more per partly used range of the old space (its chunks are 4 MiB) than the
         * heap's budget charges (it charges the old space what mm4j commits, 64 KiB at a time). For
         * throughput over latency. Objects larger than 2 MiB are large blocks, whose whole 2 MiB pages
         * are advised in any case. A hint: where the OS does not grant huge pages, nothing changes.
         */
        public Builder hugePages(boolean hugePages) {
            this.hugePages = hugePages;
            return this;
        }

        /** Builds the heap. */
        public Heap build() {
            MemoryBudget effective = budget != null ? budget.child(name, limitBytes)
                    : limitBytes == Long.MAX_VALUE ? MemoryBudget.unlimited(name) : MemoryBudget.of(name, limitBytes);
            return new HeapImpl(new HeapConfig(name, nurseryBytes, effective, maxObjects, tenuringThreshold,
                    pauseTargetNanos, oldGrowthFactor, collectorThreads, hugePages));
        }
    }
}
