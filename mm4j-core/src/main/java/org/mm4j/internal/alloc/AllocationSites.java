package org.mm4j.internal.alloc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Debug mode's record of where each live allocation was made, keyed by address; used to name the sites
 * of leaked memory. Only instantiated when {@code mm4j.debug.allocationSites} is on.
 */
final class AllocationSites {
    private static final StackWalker WALKER = StackWalker.getInstance();
    private static final int MAX_SITES = 10;

    private final Map<Long, String> live = new ConcurrentHashMap<>();

    void record(long address) {
        live.put(address, site());
    }

    void remove(long address) {
        live.remove(address);
    }

    /** The sites of the allocations still recorded, most frequent first, each with its count. */
    List<String> summary() {
        Map<String, Long> counts = live.values().stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(MAX_SITES, entries.size()); i++) {
            out.add(entries.get(i).getValue() + " x " + entries.get(i).getKey());
        }
        if (entries.size() > MAX_SITES) {
            out.add("... and " + (entries.size() - MAX_SITES) + " more sites");
        }
        return out;
    }

    /** The first frame outside mm4j's implementation, with the two frames above it. */
    private static String site() {
        return WALKER.walk(frames -> frames
                .dropWhile(f -> f.getClassName().startsWith("org.mm4j.internal.")
                        || f.getClassName().startsWith("org.mm4j.alloc."))
                .limit(3)
                .map(f -> f.getClassName() + "." + f.getMethodName() + ":" + f.getLineNumber())
                .collect(Collectors.joining(" <- ")));
    }
}
