package org.mm4j.internal.alloc;

import org.mm4j.alloc.AllocatorMetrics;

/** One-line descriptions of metrics, for {@code toString()} and logs. */
final class MetricsFormat {
    private MetricsFormat() {}

    static String describe(AllocatorMetrics m) {
        return String.format("%s[live=%d requested=%dB allocated=%dB committed=%dB reserved=%dB "
                        + "peakCommitted=%dB fragmentation=%.3f]",
                m.name(), m.liveAllocations(), m.requestedBytes(), m.allocatedBytes(), m.committedBytes(),
                m.reservedBytes(), m.peakCommittedBytes(), m.fragmentation());
    }
}
