package org.mm4j.internal;

/**
 * Safety checks that cost nothing when off: each flag is a {@code static final boolean} read once from a
 * system property, so the JIT folds the disabled branches away. Tests run with {@code -Dmm4j.debug=true};
 * benchmarks run without.
 *
 * <ul>
 *   <li>{@code mm4j.debug}: turns every check below on.</li>
 *   <li>{@code mm4j.debug.allocationSites}: allocators remember a stack trace per live allocation and
 *       name the sites of leaked memory at {@code close()}.</li>
 * </ul>
 */
public final class Debug {
    /** Master switch. */
    public static final boolean ENABLED = Boolean.getBoolean("mm4j.debug");

    /** Record allocation sites for leak reports. */
    public static final boolean ALLOCATION_SITES =
            ENABLED || Boolean.getBoolean("mm4j.debug.allocationSites");

    private Debug() {}
}
