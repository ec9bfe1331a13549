package org.mm4j.bench.peer;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds and opens the native allocators' shared libraries. The path comes from the system property
 * {@code mm4j.bench.lib.<peer>} (what {@code ./mm4j bench alloc} passes, from the set-up step), else from
 * the usual Debian library directories.
 */
final class NativeLibraries {
    private static final List<String> DIRECTORIES = List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
            "/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib");

    private NativeLibraries() {}

    /** Opens the library of {@code peer}, one of {@code fileNames} in the usual directories. */
    static SymbolLookup open(String peer, String... fileNames) {
        String configured = System.getProperty("mm4j.bench.lib." + peer);
        List<Path> candidates = new ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        } else {
            for (String directory : DIRECTORIES) {
                for (String fileName : fileNames) {
                    candidates.add(Path.of(directory, fileName));
                }
            }
        }
        for (Path candidate : candidates) {
            if (Files.exists(candidate)) {
                try {
                    return SymbolLookup.libraryLookup(candidate, Arena.global());
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(peer + ": cannot load " + candidate + " (a library with static"
                            + " TLS, such as jemalloc, needs GLIBC_TUNABLES=glibc.rtld.optional_static_tls=16384"
                            + " in the environment of the JVM that loads it)", e);
                }
            }
        }
        throw new IllegalStateException(peer + ": library not found (looked for " + candidates
                + "); run mm4j-bench/setup.sh or set -Dmm4j.bench.lib." + peer + "=PATH");
    }

    /** A downcall to {@code symbol} in {@code library}. */
    static MethodHandle function(SymbolLookup library, String symbol, FunctionDescriptor descriptor,
            Linker.Option... options) {
        MemorySegment address = library.find(symbol)
                .orElseThrow(() -> new IllegalStateException("symbol " + symbol + " not found"));
        return Linker.nativeLinker().downcallHandle(address, descriptor, options);
    }
}
