package org.mm4j.os;

import org.mm4j.internal.os.NativeMemory;

/** What the operating system says about this process's memory. */
public final class ProcessMemory {
    private ProcessMemory() {}

    /** The OS page size in bytes: the granularity of mapping, committing and giving memory back. */
    public static long pageSize() {
        return NativeMemory.PAGE_SIZE;
    }

    /**
     * The resident set size of this process in bytes (physical memory in use, Java heap included), or
     * -1 where the OS does not tell (read from {@code /proc/self/statm} on Linux).
     */
    public static long residentSetBytes() {
        return NativeMemory.residentSetBytes();
    }

    /**
     * Whether mm4j maps memory with native calls (mmap/madvise), which lets it give memory back to the
     * OS, or uses the portable fallback, which cannot.
     */
    public static boolean nativeMapping() {
        return NativeMemory.isNative();
    }
}
