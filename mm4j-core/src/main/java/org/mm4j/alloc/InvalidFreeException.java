package org.mm4j.alloc;

/**
 * A {@link FreeingAllocator#free} that the allocator refused. Thrown before any state changes.
 */
public final class InvalidFreeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Why the free was refused. */
    public enum Reason {
        /** The segment was not handed out by this allocator (or by any mm4j allocator). */
        FOREIGN_SEGMENT,
        /** The segment was handed out, but has been freed already. */
        DOUBLE_FREE,
        /** The segment lies inside an allocation but is not the allocation itself. */
        SLICE
    }

    private final Reason reason;

    public InvalidFreeException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** Why the free was refused. */
    public Reason reason() {
        return reason;
    }
}
