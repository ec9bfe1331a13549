package org.mm4j.bench.peer;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * A native malloc/free pair called through FFM downcalls with {@code Linker.Option.critical(false)}
 * (no thread-state transition: the fastest legal form for a short native call that does not call back).
 * Blocks are raw addresses ({@link AddressPeer}).
 *
 * <p>Each library is a subclass with a {@code static final} {@link Functions} record, so the JIT sees the
 * method handles as constants and inlines the downcalls; the base class reaches the record through one
 * overridden accessor, monomorphic in every fork.
 */
abstract sealed class MallocPeer extends AddressPeer {
    static final Linker.Option CRITICAL = Linker.Option.critical(false);

    /**
     * The library's malloc and free. A record's fields are trusted as constants by the JIT, so a
     * {@code static final} instance makes both downcalls constant.
     */
    record Functions(MethodHandle malloc, MethodHandle free) {
        static Functions of(SymbolLookup library, String malloc, String free) {
            return new Functions(
                    NativeLibraries.function(library, malloc, FunctionDescriptor.of(JAVA_LONG, JAVA_LONG), CRITICAL),
                    NativeLibraries.function(library, free, FunctionDescriptor.ofVoid(JAVA_LONG), CRITICAL));
        }
    }

    MallocPeer(int slots, String name) {
        super(slots, name);
    }

    /** This library's functions: a {@code static final} of the subclass. */
    abstract Functions functions();

    @Override
    public final void allocate(int slot, int size) {
        long address;
        try {
            address = (long) functions().malloc().invokeExact((long) size);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (address == 0) {
            throw new OutOfMemoryError(name() + ": malloc(" + size + ") returned NULL");
        }
        blocks[slot] = address;
    }

    @Override
    public final void free(int slot) {
        long address = blocks[slot];
        blocks[slot] = 0;
        try {
            functions().free().invokeExact(address);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** A statistics call into an allocator library, with a confined arena for its arguments. */
    interface Query {
        long ask(Arena arena) throws Throwable;
    }

    /** Runs {@code query} (rarely: at the end of a run) and returns its answer. */
    static long query(Query query) {
        try (Arena arena = Arena.ofConfined()) {
            return query.ask(arena);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** {@code glibc}: the C library's malloc and free, as the JVM itself uses them. */
    static final class Glibc extends MallocPeer {
        private static final SymbolLookup C = Linker.nativeLinker().defaultLookup();
        private static final Functions FUNCTIONS = Functions.of(C, "malloc", "free");
        private final long baseline = GlibcHeap.baseline();

        Glibc(int slots) {
            super(slots, "glibc");
        }

        @Override
        Functions functions() {
            return FUNCTIONS;
        }

        @Override
        public long committedBytes() {
            return GlibcHeap.since(baseline);
        }

        @Override
        public String committedSource() {
            return GlibcHeap.SOURCE;
        }
    }

    /** {@code jemalloc}: Debian's libjemalloc2, unprefixed {@code malloc}/{@code free} of that library. */
    static final class Jemalloc extends MallocPeer {
        private static final SymbolLookup LIB = NativeLibraries.open("jemalloc", "libjemalloc.so.2");
        private static final Functions FUNCTIONS = Functions.of(LIB, "malloc", "free");
        /** {@code int mallctl(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen)}. */
        private static final MethodHandle MALLCTL = NativeLibraries.function(LIB, "mallctl",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));

        Jemalloc(int slots) {
            super(slots, "jemalloc");
        }

        @Override
        Functions functions() {
            return FUNCTIONS;
        }

        /** {@code stats.resident} after advancing {@code epoch} (jemalloc caches its statistics). */
        @Override
        public long committedBytes() {
            return query(arena -> {
                MemorySegment value = arena.allocate(JAVA_LONG);
                int rc = (int) MALLCTL.invokeExact(arena.allocateFrom("epoch"), MemorySegment.NULL, MemorySegment.NULL,
                        arena.allocateFrom(JAVA_LONG, 1), 8L);
                if (rc == 0) {
                    rc = (int) MALLCTL.invokeExact(arena.allocateFrom("stats.resident"), value,
                            arena.allocateFrom(JAVA_LONG, 8), MemorySegment.NULL, 0L);
                }
                return rc == 0 ? value.get(JAVA_LONG, 0) : -1;
            });
        }

        @Override
        public String committedSource() {
            return "mallctl stats.resident";
        }
    }

    /** {@code mimalloc}: Debian's libmimalloc2.0, {@code mi_malloc}/{@code mi_free}. */
    static final class Mimalloc extends MallocPeer {
        private static final SymbolLookup LIB = NativeLibraries.open("mimalloc", "libmimalloc.so.2");
        private static final Functions FUNCTIONS = Functions.of(LIB, "mi_malloc", "mi_free");
        /** {@code void mi_process_info(size_t* elapsed, user, system, current_rss, peak_rss, current_commit, …)}. */
        private static final MethodHandle PROCESS_INFO = NativeLibraries.function(LIB, "mi_process_info",
                FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));

        Mimalloc(int slots) {
            super(slots, "mimalloc");
        }

        @Override
        Functions functions() {
            return FUNCTIONS;
        }

        /** {@code current_commit} of {@code mi_process_info}: mimalloc's own committed bytes. */
        @Override
        public long committedBytes() {
            return query(arena -> {
                MemorySegment out = arena.allocate(JAVA_LONG, 8);
                PROCESS_INFO.invokeExact(out, out.asSlice(8), out.asSlice(16), out.asSlice(24), out.asSlice(32),
                        out.asSlice(40), out.asSlice(48), out.asSlice(56));
                return out.getAtIndex(JAVA_LONG, 5);
            });
        }

        @Override
        public String committedSource() {
            return "mi_process_info current_commit";
        }
    }

    /** {@code tcmalloc}: Debian's libtcmalloc-minimal4 (gperftools), {@code tc_malloc}/{@code tc_free}. */
    static final class Tcmalloc extends MallocPeer {
        private static final SymbolLookup LIB = NativeLibraries.open("tcmalloc", "libtcmalloc_minimal.so.4");
        private static final Functions FUNCTIONS = Functions.of(LIB, "tc_malloc", "tc_free");
        /** {@code int MallocExtension_GetNumericProperty(const char* property, size_t* value)}. */
        private static final MethodHandle PROPERTY = NativeLibraries.function(LIB,
                "MallocExtension_GetNumericProperty", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));

        Tcmalloc(int slots) {
            super(slots, "tcmalloc");
        }

        @Override
        Functions functions() {
            return FUNCTIONS;
        }

        /** {@code generic.heap_size} less {@code tcmalloc.pageheap_unmapped_bytes}. */
        @Override
        public long committedBytes() {
            long heap = property("generic.heap_size");
            long unmapped = property("tcmalloc.pageheap_unmapped_bytes");
            return heap < 0 || unmapped < 0 ? -1 : heap - unmapped;
        }

        private static long property(String name) {
            return query(arena -> {
                MemorySegment value = arena.allocate(JAVA_LONG);
                int ok = (int) PROPERTY.invokeExact(arena.allocateFrom(name), value);
                return ok != 0 ? value.get(JAVA_LONG, 0) : -1;
            });
        }

        @Override
        public String committedSource() {
            return "generic.heap_size - tcmalloc.pageheap_unmapped_bytes";
        }
    }
}
