package org.mm4j.internal.alloc;

import org.mm4j.os.MemoryBudget;

/**
 * The settings every allocator takes, resolved by its builder.
 *
 * @param name used in messages and reports
 * @param zeroOnAllocate zero each allocation before returning it
 * @param scrubOnFree zero freed memory at once
 * @param budget charged for committed memory; never null
 * @param purgeDelayNanos how long empty memory stays committed before it is given back to the OS
 */
public record AllocatorConfig(String name, boolean zeroOnAllocate, boolean scrubOnFree, MemoryBudget budget,
        long purgeDelayNanos) {}
