package org.mm4j.heap;

import java.lang.foreign.MemorySegment;
import org.mm4j.internal.heap.PinImpl;

/**
 * A pinned object: it never moves and stays alive while pinned, and its fields or elements can be handed
 * to native code as a {@link MemorySegment}. Pins are counted: an object is pinned while any of its pins is
 * open. A young object is promoted to the old space when first pinned.
 *
 * <pre>{@code
 * try (Pin pin = heap.pin(samples)) {
 *     nativeFilter.invokeExact(pin.segment(), heap.length(samples));
 * }
 * }</pre>
 */
public sealed interface Pin extends AutoCloseable permits PinImpl {

    /** The pinned object. */
    long handle();

    /**
     * The object's contents after its header (for arrays: the elements), at a fixed address. Valid until
     * this pin closes, and only on the thread that pinned it (a confined segment).
     */
    MemorySegment segment();

    /** Releases this pin; idempotent. */
    @Override
    void close();
}
