package org.mm4j.internal.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mm4j.alloc.SizeClassAllocator;
import org.mm4j.heap.GarbageCollector;
import org.mm4j.heap.HandleScope;
import org.mm4j.heap.Heap;
import org.mm4j.heap.Type;
import org.mm4j.internal.os.NativeMemory;

/**
 * The huge-page setting reaches the OS: the mappings of the old space and of the handle table carry the
 * kernel's huge-page advice ({@code hg} in their {@code VmFlags}) exactly when it is on. Linux only.
 */
class HugePagesTest {
    private static final Path SMAPS = Path.of("/proc/self/smaps");
    private static final Path THP = Path.of("/sys/kernel/mm/transparent_hugepage");
    private static final Type CELL = Type.struct("HugePagesCell").longField("value").build();

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void theOldSpaceAndTheHandleTableAreAdvisedAsTheHeapIsBuilt(boolean huge) throws IOException {
        checkHeap(Heap.builder().name("huge-" + huge).hugePages(huge), huge);
    }

    @Test
    void byDefaultAHeapAsksForNoHugePages() throws IOException {
        checkHeap(Heap.builder().name("huge-default"), false);
    }

    private static void checkHeap(Heap.Builder builder, boolean huge) throws IOException {
        assumeLinuxMappings();
        try (Heap heap = builder.tenuringThreshold(1).collectorThreads(0).build();
                HandleScope _ = heap.openHandleScope()) {
            long cell = heap.allocate(CELL);
            heap.gc().collect(GarbageCollector.YOUNG); // promoted: its bytes are in an old-space chunk now
            HeapImpl h = (HeapImpl) heap;
            int id = Heap.idOf(cell);
            long address = h.table.addressOf(id);
            assertFalse(h.nursery.contains(address), "promoted");
            assertEquals(huge, advisedHuge(address), "the old space's chunk");
            assertEquals(huge, advisedHuge(h.table.block(id).address()), "the handle table's block");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aSizeClassAllocatorAdvisesItsChunksOnlyWhenAsked(boolean huge) throws IOException {
        assumeLinuxMappings();
        try (SizeClassAllocator allocator = SizeClassAllocator.builder().hugePages(huge).build()) {
            MemorySegment block = allocator.allocate(64, 8);
            assertEquals(huge, advisedHuge(block.address()));
            allocator.free(block);
        }
    }

    private static void assumeLinuxMappings() {
        assumeTrue(NativeMemory.isNative() && Files.isReadable(SMAPS) && Files.isDirectory(THP),
                "native mappings, /proc/self/smaps and a kernel with transparent huge pages");
    }

    /** Whether the mapping that holds {@code address} has the huge-page advice: "hg" among its VmFlags. */
    private static boolean advisedHuge(long address) throws IOException {
        boolean inside = false;
        for (String line : Files.readAllLines(SMAPS)) {
            int dash = line.indexOf('-');
            int space = line.indexOf(' ');
            if (dash > 0 && space > dash && line.substring(0, dash).chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                long start = Long.parseUnsignedLong(line.substring(0, dash), 16);
                long end = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
                inside = Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0;
            } else if (inside && line.startsWith("VmFlags:")) {
                return Arrays.asList(line.substring("VmFlags:".length()).trim().split(" ")).contains("hg");
            }
        }
        throw new AssertionError("no mapping holds 0x" + Long.toHexString(address));
    }
}
