package org.mm4j.internal.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

/**
 * Where mm4j's bytes come from: the only class that talks to the operating system about memory.
 *
 * <p>On Linux (x86-64 and AArch64, whose {@code mmap} constants are the same) memory is reserved with
 * anonymous {@code mmap(MAP_NORESERVE)} through FFM downcalls, so it costs physical memory only once
 * touched; {@code madvise(MADV_DONTNEED)} returns pages to the OS and {@code madvise(MADV_HUGEPAGE)}
 * asks for transparent huge pages. Elsewhere, or if the downcalls cannot be linked, the portable fallback
 * allocates through {@link Arena#allocate(long, long)}: correct everywhere, but memory is zeroed (so
 * committed) at once and decommit is a no-op. {@code -Dmm4j.os.portable=true} forces the fallback.
 */
@SuppressWarnings("restricted")
public final class NativeMemory {
    private static final System.Logger LOG = System.getLogger(NativeMemory.class.getName());

    private static final int PROT_READ = 0x1;
    private static final int PROT_WRITE = 0x2;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final int MAP_NORESERVE = 0x4000;
    private static final int MADV_DONTNEED = 4;
    private static final int MADV_HUGEPAGE = 14;
    private static final long MAP_FAILED = -1L;

    /** The smallest size and alignment the OS maps; 4 KiB unless {@code sysconf} says otherwise. */
    public static final long PAGE_SIZE;
    /** Every byte of the process, for reading and writing memory mm4j owns by its address. */
    public static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    /** The size of a transparent huge page on the platforms mm4j maps natively. */
    public static final long HUGE_PAGE_SIZE = 2L << 20;

    private static final MethodHandle MMAP;
    private static final MethodHandle MUNMAP;
    private static final MethodHandle MADVISE;
    private static final StructLayout CAPTURE_LAYOUT;
    private static final VarHandle ERRNO;
    private static final boolean NATIVE;

    static {
        MethodHandle mmap = null;
        MethodHandle munmap = null;
        MethodHandle madvise = null;
        StructLayout capture = null;
        VarHandle errno = null;
        long pageSize = 4096;
        boolean nativeOk = false;
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        boolean supported = os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64")
                || arch.equals("aarch64"));
        if (supported && !Boolean.getBoolean("mm4j.os.portable")) {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                capture = Linker.Option.captureStateLayout();
                errno = capture.varHandle(MemoryLayout.PathElement.groupElement("errno"));
                mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                                ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
                        Linker.Option.captureCallState("errno"));
                munmap = linker.downcallHandle(libc.find("munmap").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_LONG));
                madvise = linker.downcallHandle(libc.find("madvise").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
                MethodHandle sysconf = linker.downcallHandle(libc.find("sysconf").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
                long ps = (long) sysconf.invokeExact(30); // _SC_PAGESIZE on Linux
                if (ps > 0 && Long.bitCount(ps) == 1) {
                    pageSize = ps;
                }
                nativeOk = true;
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.WARNING,
                        "mm4j: native memory calls unavailable, using the portable fallback", t);
            }
        }
        MMAP = mmap;
        MUNMAP = munmap;
        MADVISE = madvise;
        CAPTURE_LAYOUT = capture;
        ERRNO = errno;
        NATIVE = nativeOk;
        PAGE_SIZE = pageSize;
    }

    private NativeMemory() {}

    /** Whether memory comes from mmap (true) or from the portable fallback. */
    public static boolean isNative() {
        return NATIVE;
    }

    /** {@code bytes} (positive) rounded up to whole OS pages. */
    public static long pageAligned(long bytes) {
        if (bytes > Long.MAX_VALUE - PAGE_SIZE) {
            throw new IllegalArgumentException("size too large: " + bytes);
        }
        return (bytes + PAGE_SIZE - 1) & -PAGE_SIZE;
    }

    /**
     * Maps {@code size} bytes aligned to {@code alignment}; both must be multiples of the page size (the
     * alignment a power of two). The memory reads as zero.
     *
     * @throws OutOfMemoryError if the OS refuses (address space exhausted); budgets are checked by callers
     */
    public static Mapping map(long size, long alignment) {
        if (size <= 0 || size % PAGE_SIZE != 0) {
            throw new IllegalArgumentException("mapping size must be a positive multiple of " + PAGE_SIZE
                    + ": " + size);
        }
        if (Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two: " + alignment);
        }
        if (!NATIVE) {
            Arena arena = Arena.ofShared();
            MemorySegment seg = arena.allocate(size, Math.max(alignment, PAGE_SIZE));
            return new Mapping(arena, seg, false);
        }
        long align = Math.max(alignment, PAGE_SIZE);
        long total = align > PAGE_SIZE ? size + align : size;
        long raw = mmap(total);
        long start = (raw + align - 1) & -align;
        if (start > raw) {
            munmap(raw, start - raw);
        }
        long tail = raw + total - (start + size);
        if (tail > 0) {
            munmap(start + size, tail);
        }
        Arena arena = Arena.ofShared();
        MemorySegment seg = MemorySegment.ofAddress(start)
                .reinterpret(size, arena, s -> munmap(start, size));
        return new Mapping(arena, seg, true);
    }

    private static long mmap(long length) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CAPTURE_LAYOUT);
            long addr = (long) MMAP.invokeExact(state, 0L, length, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0L);
            if (addr == MAP_FAILED) {
                int errno = (int) ERRNO.get(state, 0L);
                throw new OutOfMemoryError("mmap of " + length + " bytes failed, errno " + errno);
            }
            return addr;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("mmap downcall failed", t);
        }
    }

    private static void munmap(long address, long length) {
        try {
            int rc = (int) MUNMAP.invokeExact(address, length);
            if (rc != 0) {
                LOG.log(System.Logger.Level.ERROR, "mm4j: munmap({0}, {1}) failed", address, length);
            }
        } catch (Throwable t) {
            throw new IllegalStateException("munmap downcall failed", t);
        }
    }

    static void decommit(MemorySegment segment, long offset, long length) {
        if (length <= 0 || !NATIVE) {
            return;
        }
        long start = segment.address() + offset;
        long alignedStart = (start + PAGE_SIZE - 1) & -PAGE_SIZE;
        long alignedEnd = (start + length) & -PAGE_SIZE;
        if (alignedEnd > alignedStart) {
            madvise(alignedStart, alignedEnd - alignedStart, MADV_DONTNEED);
        }
    }

    /**
     * Asks for transparent huge pages over the segment's whole huge pages. A hint: returns whether the
     * OS accepted the advice, not whether it will back the range with huge pages.
     */
    public static boolean adviseHugePages(MemorySegment segment) {
        if (!NATIVE) {
            return false;
        }
        long start = (segment.address() + HUGE_PAGE_SIZE - 1) & -HUGE_PAGE_SIZE;
        long end = (segment.address() + segment.byteSize()) & -HUGE_PAGE_SIZE;
        return end > start && madvise(start, end - start, MADV_HUGEPAGE) == 0;
    }

    /**
     * {@link #adviseHugePages} for a new mapping, before any byte of it is touched; if the advice cannot be
     * given (the downcall fails), unmaps it and rethrows.
     */
    public static void adviseHugePagesOrUnmap(Mapping mapping) {
        try {
            adviseHugePages(mapping.segment());
        } catch (RuntimeException | Error e) {
            try {
                mapping.close();
            } catch (RuntimeException | Error suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static int madvise(long address, long length, int advice) {
        try {
            return (int) MADVISE.invokeExact(address, length, advice);
        } catch (Throwable t) {
            throw new IllegalStateException("madvise downcall failed", t);
        }
    }

    /** The resident set size of this process in bytes, or -1 where it cannot be read. */
    public static long residentSetBytes() {
        try {
            String statm = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/statm")).trim();
            String[] fields = java.util.regex.Pattern.compile(" +").split(statm); // size resident shared ...
            return Long.parseLong(fields[1]) * PAGE_SIZE;
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }
}
