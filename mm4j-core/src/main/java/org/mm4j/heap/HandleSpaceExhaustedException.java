package org.mm4j.heap;

/**
 * Every object id of a heap is in use or retired: no object can be allocated until collections free ids.
 * Thrown before any state changes.
 */
public final class HandleSpaceExhaustedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public HandleSpaceExhaustedException(String message) {
        super(message);
    }
}
