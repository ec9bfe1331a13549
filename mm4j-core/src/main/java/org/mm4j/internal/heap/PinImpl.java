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
        arena.close(); // throws WrongThreadException on another thread, before anything changes
        closed = true;
        heap.unpin(handle);
    }
}
