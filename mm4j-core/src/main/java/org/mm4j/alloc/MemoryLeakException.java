package org.mm4j.alloc;

import java.util.List;

/**
 * Thrown by {@code close()} when allocations were still live. The memory has been released by the time
 * this is thrown; the exception reports what the program forgot to free.
 */
public final class MemoryLeakException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final long leakedAllocations;
    private final long leakedBytes;
    private final transient List<String> allocationSites;

    public MemoryLeakException(String allocatorName, long leakedAllocations, long leakedBytes,
            List<String> allocationSites) {
        super(message(allocatorName, leakedAllocations, leakedBytes, allocationSites));
        this.leakedAllocations = leakedAllocations;
        this.leakedBytes = leakedBytes;
        this.allocationSites = List.copyOf(allocationSites);
    }

    private static String message(String name, long count, long bytes, List<String> sites) {
        StringBuilder sb = new StringBuilder("memory leaked by allocator '").append(name).append("': ")
                .append(count).append(count == 1 ? " allocation, " : " allocations, ")
                .append(bytes).append(" bytes still live at close");
        if (sites.isEmpty()) {
            sb.append(" (run with -Dmm4j.debug.allocationSites=true to see where they were allocated)");
        } else {
            sb.append("; allocated at:");
            for (String site : sites) {
                sb.append("\n  ").append(site);
            }
        }
        return sb.toString();
    }

    /** How many allocations were live. */
    public long leakedAllocations() {
        return leakedAllocations;
    }

    /** Their requested bytes. */
    public long leakedBytes() {
        return leakedBytes;
    }

    /**
     * The allocation sites of the leaked memory, most frequent first, each with its count; empty unless
     * allocation-site tracking was on.
     */
    public List<String> allocationSites() {
        return allocationSites;
    }
}
