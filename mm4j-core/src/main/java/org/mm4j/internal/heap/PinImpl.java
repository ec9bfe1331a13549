package org.mm4j.internal.heap;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.mm4j.heap.Pin;

/** A pin: the heap's pin count of the object, and a confined segment over its contents. */
public final class PinImpl implements Pin {
    private final HeapImpl heap;
    private final long handle;
    private final Arena arena;
    private final MemorySegment segment;
    private boolean closed;

    PinImpl(HeapImpl heap, long handle, long contents, long bytes) {
        this.heap = heap;
        this.handle = handle;
        this.arena = Arena.ofConfined();
        this.segment = MemorySegment.ofAddress(contents).reinterpret(bytes, arena, null);
    }

    /**
     * A pin of a scoped object, which never moves anyway: the segment is bound to the scope's buffer
     * arena, so it is closed with the scope, whichever closes first.
     */
    PinImpl(HeapImpl heap, long handle, MemorySegment scopedSegment) {
        this.heap = heap;
        this.handle = handle;
        this.arena = null;
        this.segment = scopedSegment;
    }

    @Override
    public long handle() {
        return handle;
    }

    @Override
    public MemorySegment segment() {
        return segment;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (arena == null) {
            closed = true;
            return;
        }
        arena.close(); // throws WrongThreadException on another thread, before anything changes
        closed = true;
        heap.unpin(handle);
    }
}
