package org.mm4j.os;

/**
 * A request would take a {@link MemoryBudget} past its limit. Thrown before any state changes: the
 * allocator or heap that threw stays consistent and usable, and memory freed later can be allocated
 * again.
 *
 * <p>This is mm4j's own exception, deliberately not the JVM's {@link OutOfMemoryError}: running into a
 * configured limit is an expected, recoverable condition.
 */
public final class MemoryLimitExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient String budgetName;
    private final long requestedBytes;
    private final long usedBytes;
    private final long limitBytes;

    MemoryLimitExceededException(String budgetName, long requestedBytes, long usedBytes, long limitBytes) {
        super("memory budget '" + budgetName + "' exceeded: requested " + requestedBytes + " bytes with "
                + usedBytes + " of " + limitBytes + " bytes in use");
        this.budgetName = budgetName;
        this.requestedBytes = requestedBytes;
        this.usedBytes = usedBytes;
        this.limitBytes = limitBytes;
    }

    /** The name of the budget whose limit was hit (a parent's, when the parent ran out). */
    public String budgetName() {
        return budgetName;
    }

    /** The bytes the operation tried to reserve. */
    public long requestedBytes() {
        return requestedBytes;
    }

    /** The bytes that were reserved in that budget when the request failed. */
    public long usedBytes() {
        return usedBytes;
    }

    /** The budget's limit. */
    public long limitBytes() {
        return limitBytes;
    }
}
