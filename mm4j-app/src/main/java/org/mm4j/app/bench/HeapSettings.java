package org.mm4j.app.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.mm4j.heap.Heap;

/**
 * The mm4j heap's collector settings a {@code bench gc} run may set (the rest keep the builder's defaults),
 * to measure their effects: each null is the default.
 *
 * @param pauseTargetNanos {@link Heap.Builder#pauseTarget}
 * @param growthFactor {@link Heap.Builder#oldGrowthFactor}
 * @param nurseryBytes {@link Heap.Builder#nurseryBytes}
 * @param collectorThreads {@link Heap.Builder#collectorThreads}
 * @param hugePages {@link Heap.Builder#hugePages}
 */
record HeapSettings(Long pauseTargetNanos, Double growthFactor, Long nurseryBytes, Integer collectorThreads,
        Boolean hugePages) {
    static final HeapSettings DEFAULTS = new HeapSettings(null, null, null, null, null);

    /** Sets the non-default settings on {@code builder}, which checks them. */
    Heap.Builder applyTo(Heap.Builder builder) {
        if (pauseTargetNanos != null) {
            builder.pauseTarget(Duration.ofNanos(pauseTargetNanos));
        }
        if (growthFactor != null) {
            builder.oldGrowthFactor(growthFactor);
        }
        if (nurseryBytes != null) {
            builder.nurseryBytes(nurseryBytes);
        }
        if (collectorThreads != null) {
            builder.collectorThreads(collectorThreads);
        }
        if (hugePages != null) {
            builder.hugePages(hugePages);
        }
        return builder;
    }

    /** The settings as a child's argument value: {@code key:value} pairs joined by commas, or "default". */
    String toArgument() {
        List<String> parts = new ArrayList<>();
        if (pauseTargetNanos != null) {
            parts.add("pauseTargetNanos:" + pauseTargetNanos);
        }
        if (growthFactor != null) {
            parts.add("growthFactor:" + growthFactor);
        }
        if (nurseryBytes != null) {
            parts.add("nurseryBytes:" + nurseryBytes);
        }
        if (collectorThreads != null) {
            parts.add("collectorThreads:" + collectorThreads);
        }
        if (hugePages != null) {
            parts.add("hugePages:" + hugePages);
        }
        return parts.isEmpty() ? "default" : String.join(",", parts);
    }

    private static boolean parseBoolean(String value) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false: " + value);
        };
    }

    /** The settings of {@link #toArgument()}. */
    static HeapSettings parse(String argument) {
        if (argument.equals("default")) {
            return DEFAULTS;
        }
        Long pauseTargetNanos = null;
        Double growthFactor = null;
        Long nurseryBytes = null;
        Integer collectorThreads = null;
        Boolean hugePages = null;
        for (String part : argument.split(",", -1)) {
            int colon = part.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("expected key:value in heap settings: " + part);
            }
            String value = part.substring(colon + 1);
            switch (part.substring(0, colon)) {
                case "pauseTargetNanos" -> pauseTargetNanos = Long.parseLong(value);
                case "growthFactor" -> growthFactor = Double.parseDouble(value);
                case "nurseryBytes" -> nurseryBytes = Long.parseLong(value);
                case "collectorThreads" -> collectorThreads = Integer.parseInt(value);
                case "hugePages" -> hugePages = parseBoolean(value);
                default -> throw new IllegalArgumentException("unknown heap setting " + part);
            }
        }
        return new HeapSettings(pauseTargetNanos, growthFactor, nurseryBytes, collectorThreads, hugePages);
    }

    /** For the report: the settings that are not the defaults, or "default settings". */
    String describe() {
        List<String> parts = new ArrayList<>();
        if (pauseTargetNanos != null) {
            parts.add("pause target " + pauseTargetNanos / 1e3 + " µs");
        }
        if (growthFactor != null) {
            parts.add("growth factor " + growthFactor);
        }
        if (nurseryBytes != null) {
            parts.add("nursery " + ResultTable.bytes(nurseryBytes));
        }
        if (collectorThreads != null) {
            parts.add(collectorThreads + " collector threads");
        }
        if (hugePages != null) {
            parts.add(hugePages ? "huge pages" : "no huge pages");
        }
        return parts.isEmpty() ? "default settings" : String.join(", ", parts);
    }
}
