package org.mm4j.bench.peer;

import java.util.List;

/** The peers by name: what the benchmarks' {@code allocator} parameter selects. */
public final class Peers {
    /** Every peer's name, in the order reports list them. */
    public static final List<String> NAMES = List.of("mm4j", "mm4j-address", "mm4j-arena", "glibc", "jemalloc", "mimalloc", "tcmalloc",
            "ffm-confined", "ffm-shared", "ffm-slicing", "netty-pooled", "netty-adaptive", "java-new");

    private Peers() {}

    /**
     * A new peer with {@code slots} empty slots.
     *
     * @throws IllegalArgumentException for an unknown name
     * @throws IllegalStateException when the peer's native library cannot be loaded (the message says why)
     */
    public static Peer create(String name, int slots) {
        try {
            return switch (name) {
                case "mm4j" -> new Mm4jPeer(slots);
                case "mm4j-address" -> new Mm4jAddressPeer(slots);
                case "mm4j-arena" -> new Mm4jArenaPeer(slots);
                case "glibc" -> new MallocPeer.Glibc(slots);
                case "jemalloc" -> new MallocPeer.Jemalloc(slots);
                case "mimalloc" -> new MallocPeer.Mimalloc(slots);
                case "tcmalloc" -> new MallocPeer.Tcmalloc(slots);
                case "ffm-confined" -> new FfmArenaPeer(slots, false);
                case "ffm-shared" -> new FfmArenaPeer(slots, true);
                case "ffm-slicing" -> new FfmSlicingPeer(slots);
                case "netty-pooled" -> new NettyPeer(slots, false);
                case "netty-adaptive" -> new NettyPeer(slots, true);
                case "java-new" -> new JavaNewPeer(slots);
                default -> throw new IllegalArgumentException("unknown allocator " + name + "; known: " + NAMES);
            };
        } catch (ExceptionInInitializerError e) {
            throw new IllegalStateException(name + " unavailable: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
