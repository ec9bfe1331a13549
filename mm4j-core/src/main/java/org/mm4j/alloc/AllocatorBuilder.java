package org.mm4j.alloc;

import java.time.Duration;
import java.util.Objects;
import org.mm4j.internal.alloc.AllocatorConfig;
import org.mm4j.os.MemoryBudget;

/**
 * Settings shared by every allocator's builder. Defaults: no zeroing, no scrubbing, no limit, purge
 * delay 10 ms.
 *
 * @param <B> the concrete builder
 */
public abstract sealed class AllocatorBuilder<B extends AllocatorBuilder<B>>
        permits BumpArena.Builder, SlabAllocator.Builder, SizeClassAllocator.Builder, LargeAllocator.Builder {

    /** The default delay before empty memory goes back to the OS. */
    public static final Duration DEFAULT_PURGE_DELAY = Duration.ofMillis(10);

    private String name;
    private boolean zeroOnAllocate;
    private boolean scrubOnFree;
    private long limitBytes = -1;
    private MemoryBudget budget;
    private Duration purgeDelay = DEFAULT_PURGE_DELAY;

    AllocatorBuilder(String defaultName) {
        this.name = defaultName;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** The name used in messages, metrics and leak reports. */
    public B name(String name) {
        this.name = Objects.requireNonNull(name, "name");
        return self();
    }

    /** Whether every allocation is zeroed before it is returned (default false). */
    public B zeroOnAllocate(boolean zero) {
        this.zeroOnAllocate = zero;
        return self();
    }

    /**
     * Whether freed memory is zeroed at once (default false), so that sensitive data such as patient
     * records does not linger in memory the allocator holds.
     */
    public B scrubOnFree(boolean scrub) {
        this.scrubOnFree = scrub;
        return self();
    }

    /**
     * A hard limit on the bytes this allocator commits; a request that would pass it throws
     * {@link org.mm4j.os.MemoryLimitExceededException}. Combined with {@link #budget}, the limit applies
     * to this allocator and the shared budget's limit to all its users.
     */
    public B limitBytes(long limitBytes) {
        if (limitBytes <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limitBytes);
        }
        this.limitBytes = limitBytes;
        return self();
    }

    /** A budget shared with other allocators; this allocator's commits are charged to it. */
    public B budget(MemoryBudget budget) {
        this.budget = Objects.requireNonNull(budget, "budget");
        return self();
    }

    /**
     * How long empty memory stays committed before it goes back to the OS (madvise). Zero gives it back
     * at once; longer delays spare the OS calls when memory is reused soon.
     */
    public B purgeDelay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("purge delay must not be negative: " + delay);
        }
        this.purgeDelay = delay;
        return self();
    }

    AllocatorConfig config() {
        MemoryBudget effective;
        if (budget != null) {
            effective = budget.child(name, limitBytes > 0 ? limitBytes : Long.MAX_VALUE);
        } else if (limitBytes > 0) {
            effective = MemoryBudget.of(name, limitBytes);
        } else {
            effective = MemoryBudget.unlimited(name);
        }
        return new AllocatorConfig(name, zeroOnAllocate, scrubOnFree, effective, purgeDelay.toNanos());
    }
}
