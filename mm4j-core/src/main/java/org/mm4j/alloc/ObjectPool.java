package org.mm4j.alloc;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.mm4j.internal.alloc.ObjectPoolImpl;

/**
 * A bounded pool of recycled Java objects, for objects created and dropped at a high rate (shapes,
 * records, parsers). {@link #acquire()} returns an idle object or makes a new one; {@link #release}
 * resets the object with the reset hook and keeps it for reuse, or drops it to the JVM's collector when
 * the pool is full.
 *
 * <p>Each platform thread keeps a small cache of idle objects (no lock, no atomic); caches exchange
 * objects with a shared stack of at most {@code maxIdle} objects in batches of half a cache. Virtual
 * threads use the shared stack directly. So at most {@code maxIdle} plus {@code threadCacheSize} per
 * platform thread objects are idle at once.
 *
 * <p>With {@code -Dmm4j.debug=true} the pool tracks the objects it handed out and throws
 * {@link IllegalArgumentException} for a release of an object it does not have out (a double release or a
 * foreign object).
 *
 * @param <T> the pooled type
 */
public sealed interface ObjectPool<T> extends AutoCloseable permits ObjectPoolImpl {

    /**
     * An idle object, or a new one from the factory.
     *
     * @throws IllegalStateException if the pool is closed
     */
    T acquire();

    /**
     * Returns an object to the pool; the reset hook runs first.
     *
     * @throws NullPointerException if {@code object} is null
     * @throws IllegalArgumentException in debug mode, if the object is not out of this pool
     * @throws IllegalStateException if the pool is closed
     */
    void release(T object);

    /** Statistics so far. */
    PoolStats stats();

    /** The name given at build time, used in messages. */
    String name();

    /** Drops the idle objects; further use throws {@link IllegalStateException}. Idempotent. */
    @Override
    void close();

    /**
     * Statistics of a pool.
     *
     * @param acquired objects handed out
     * @param created objects the factory made (acquisitions that found no idle object)
     * @param released objects given back
     * @param dropped released objects left to the JVM's collector because the pool was full
     * @param idleShared idle objects in the shared stack now
     */
    record PoolStats(long acquired, long created, long released, long dropped, int idleShared) {
        /** The share of acquisitions served by a recycled object. */
        public double hitRate() {
            return acquired == 0 ? 0.0 : (double) (acquired - created) / acquired;
        }

        /** Objects handed out and not yet given back. */
        public long outstanding() {
            return acquired - released;
        }
    }

    /** A builder for a pool of objects made by {@code factory}. */
    static <T> Builder<T> builder(Supplier<? extends T> factory) {
        return new Builder<>(factory);
    }

    /**
     * Builds an {@link ObjectPool}. Defaults: 1024 idle objects in the shared stack, 32 per thread cache,
     * no reset hook.
     */
    final class Builder<T> {
        private final Supplier<? extends T> factory;
        private String name = "object-pool";
        private int maxIdle = 1024;
        private int threadCacheSize = 32;
        private Consumer<? super T> reset = o -> { };

        Builder(Supplier<? extends T> factory) {
            this.factory = Objects.requireNonNull(factory, "factory");
        }

        /** The name used in messages. */
        public Builder<T> name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The most idle objects kept in the shared stack (0 keeps only thread caches). */
        public Builder<T> maxIdle(int maxIdle) {
            if (maxIdle < 0) {
                throw new IllegalArgumentException("maxIdle must not be negative: " + maxIdle);
            }
            this.maxIdle = maxIdle;
            return this;
        }

        /** The most idle objects each platform thread keeps for itself (0: none). */
        public Builder<T> threadCacheSize(int size) {
            if (size < 0) {
                throw new IllegalArgumentException("thread cache size must not be negative: " + size);
            }
            this.threadCacheSize = size;
            return this;
        }

        /** Called on every released object before it is kept, to clear its state. */
        public Builder<T> reset(Consumer<? super T> reset) {
            this.reset = Objects.requireNonNull(reset, "reset");
            return this;
        }

        /** Builds the pool. */
        public ObjectPool<T> build() {
            return new ObjectPoolImpl<>(name, factory, reset, maxIdle, threadCacheSize);
        }
    }
}
