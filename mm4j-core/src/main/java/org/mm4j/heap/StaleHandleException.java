package org.mm4j.heap;

/**
 * A handle was used after its object was freed (its id's generation moved on), or it is not a handle of
 * this heap at all. Thrown before anything is read or written: a stale handle never reaches reused memory.
 */
public final class StaleHandleException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final long handle;

    public StaleHandleException(long handle, String message) {
        super(message);
        this.handle = handle;
    }

    /** The handle that was used. */
    public long handle() {
        return handle;
    }
}
