package org.mm4j.bench.peer;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * glibc's own account of its heap, from {@code mallinfo2()}: {@code arena} (bytes taken with brk and
 * for thread arenas) plus {@code hblkhd} (bytes in mmapped chunks). It covers the whole process, the
 * JVM's own mallocs included, so peers that use it subtract the figure seen when they were built.
 */
final class GlibcHeap {
    static final String SOURCE = "mallinfo2() arena + hblkhd, process-wide, minus the value at start";

    private static final StructLayout MALLINFO2 = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("arena"), ValueLayout.JAVA_LONG.withName("ordblks"),
            ValueLayout.JAVA_LONG.withName("smblks"), ValueLayout.JAVA_LONG.withName("hblks"),
            ValueLayout.JAVA_LONG.withName("hblkhd"), ValueLayout.JAVA_LONG.withName("usmblks"),
            ValueLayout.JAVA_LONG.withName("fsmblks"), ValueLayout.JAVA_LONG.withName("uordblks"),
            ValueLayout.JAVA_LONG.withName("fordblks"), ValueLayout.JAVA_LONG.withName("keepcost"));
    private static final MethodHandle MALLINFO2_CALL = Linker.nativeLinker().defaultLookup().find("mallinfo2")
            .map(f -> Linker.nativeLinker().downcallHandle(f, FunctionDescriptor.of(MALLINFO2)))
            .orElse(null);

    private GlibcHeap() {}

    /** glibc's committed heap bytes now, or -1 where {@code mallinfo2} is missing (not glibc ≥ 2.33). */
    static long processCommittedBytes() {
        if (MALLINFO2_CALL == null) {
            return -1;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = (MemorySegment) MALLINFO2_CALL.invokeExact((SegmentAllocator) arena);
            return info.get(ValueLayout.JAVA_LONG, MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement("arena")))
                    + info.get(ValueLayout.JAVA_LONG, MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement("hblkhd")));
        } catch (Throwable t) {
            throw new IllegalStateException("mallinfo2 failed", t);
        }
    }

    /** A baseline taken now, for {@link #since(long)}. */
    static long baseline() {
        return processCommittedBytes();
    }

    /** Committed bytes grown since {@code baseline}, or -1 when unknown. */
    static long since(long baseline) {
        long now = processCommittedBytes();
        return now < 0 || baseline < 0 ? -1 : now - baseline;
    }
}
