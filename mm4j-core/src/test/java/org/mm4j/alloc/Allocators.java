package org.mm4j.alloc;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** The implementations every contract test runs against, as named factories. */
public final class Allocators {
    private Allocators() {}

    /** A named way to build an allocator from a configured builder. */
    public record Kind<A extends MemoryAllocator>(String name, Supplier<A> plain,
            Function<Long, A> withLimit, long maxSize) {
        @Override
        public String toString() {
            return name;
        }
    }

    public static final Kind<SizeClassAllocator> SIZE_CLASSES = new Kind<>("size-classes",
            () -> SizeClassAllocator.builder().build(),
            limit -> SizeClassAllocator.builder().limitBytes(limit).build(), 4 << 20);
    public static final Kind<SlabAllocator> SLAB = new Kind<>("slab-256",
            () -> SlabAllocator.builder(256).build(),
            limit -> SlabAllocator.builder(256).limitBytes(limit).build(), 256);
    public static final Kind<LargeAllocator> LARGE = new Kind<>("large",
            () -> LargeAllocator.builder().build(),
            limit -> LargeAllocator.builder().limitBytes(limit).build(), 4 << 20);
    public static final Kind<BumpArena> ARENA = new Kind<>("bump-arena",
            () -> BumpArena.builder().build(),
            limit -> BumpArena.builder().limitBytes(limit).build(), 4 << 20);

    public static final List<Kind<? extends FreeingAllocator>> FREEING = List.of(SIZE_CLASSES, SLAB, LARGE);
    public static final List<Kind<? extends MemoryAllocator>> ALL = List.of(SIZE_CLASSES, SLAB, LARGE, ARENA);

    static Stream<Arguments> all() {
        return ALL.stream().map(Arguments::of);
    }

    static Stream<Arguments> freeing() {
        return FREEING.stream().map(Arguments::of);
    }
}
