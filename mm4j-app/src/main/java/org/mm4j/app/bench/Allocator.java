package org.mm4j.app.bench;

import java.util.List;

/**
 * The allocators compared, in report order: mm4j's, the peers the benchmarks reach from Java
 * (through JMH), and the C program's (the native allocators called directly).
 *
 * @param name the name in reports and JSON
 * @param inC whether it runs in the C program rather than in JMH
 * @param freesOneByOne false for bump arenas, which release only a whole batch
 * @param freesFromAnyThread false where only the allocating thread may free
 * @param nativeLibrary the peer whose library it needs from the set-up step ({@code jemalloc} for both
 *     {@code jemalloc} and {@code c-jemalloc}), or null
 * @param inQuick whether {@code --quick} runs it (false for views that the full run adds)
 */
record Allocator(String name, boolean inC, boolean freesOneByOne, boolean freesFromAnyThread, String nativeLibrary,
        boolean inQuick) {

    Allocator(String name, boolean inC, boolean freesOneByOne, boolean freesFromAnyThread, String nativeLibrary) {
        this(name, inC, freesOneByOne, freesFromAnyThread, nativeLibrary, true);
    }

    static final List<Allocator> ALL = List.of(
            java("mm4j"),
            new Allocator("mm4j-address", false, true, true, null, false),
            new Allocator("mm4j-arena", false, false, false, null),
            java("glibc"),
            new Allocator("jemalloc", false, true, true, "jemalloc"),
            new Allocator("mimalloc", false, true, true, "mimalloc"),
            new Allocator("tcmalloc", false, true, true, "tcmalloc"),
            new Allocator("ffm-confined", false, true, false, null),
            java("ffm-shared"),
            new Allocator("ffm-slicing", false, false, false, null),
            java("netty-pooled"),
            java("netty-adaptive"),
            java("java-new"),
            c("glibc"),
            c("jemalloc"),
            c("mimalloc"),
            c("tcmalloc"));

    private static Allocator java(String name) {
        return new Allocator(name, false, true, true, null);
    }

    private static Allocator c(String library) {
        return new Allocator("c-" + library, true, true, true, library.equals("glibc") ? null : library);
    }

    /** The allocator called {@code name}, or null. */
    static Allocator byName(String name) {
        return ALL.stream().filter(a -> a.name.equals(name)).findFirst().orElse(null);
    }

    /** Report order: the position in {@link #ALL}; unknown names last. */
    static int order(String name) {
        Allocator a = byName(name);
        return a == null ? ALL.size() : ALL.indexOf(a);
    }

    /** Why this allocator does not run {@code workload} with {@code threads} threads, or null if it does. */
    String refusal(Workload workload, int threads) {
        if (!freesOneByOne && !workload.wholeBatchFree) {
            return "frees only a whole batch: runs in batch only";
        }
        if (workload.handsOver && threads > 1 && !freesFromAnyThread) {
            return "cannot free a block from another thread";
        }
        return null;
    }
}
