package org.mm4j.heap;

/**
 * A reference to a scoped object would outlive the object's scope: stored into an object of an enclosing
 * scope or of the collected heap, made a global root, registered in a handle scope opened before the
 * object's scope, or taken into ownership. Thrown before anything changes; {@link Scope#promote} copies an
 * object out of its scope instead.
 */
public final class ScopeEscapeException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public ScopeEscapeException(String message) {
        super(message);
    }
}
