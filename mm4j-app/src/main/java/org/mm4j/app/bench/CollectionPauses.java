package org.mm4j.app.bench;

import org.mm4j.heap.GarbageCollector;
import org.mm4j.heap.GarbageCollector.CollectionEvent;

/**
 * Which of a heap's collection events are pauses. A minor or full collection is one pause (its STOP
 * event); an old collection that runs concurrently (a cycle) reports each of its pauses — remark, sweep
 * slices — as a PAUSE event and its end as a STOP with the total of its pauses, which is no pause of its
 * own. A STOP of the old generation is a cycle's when PAUSE events of the old generation came since its
 * last START. Short pauses that only give closed scopes' ids back are PAUSE events of the young
 * generation. Feed it every event of one heap, in order.
 */
public final class CollectionPauses {
    private boolean cyclePaused;

    /** The pause {@code event} reports, in nanoseconds, or -1 if it reports none. */
    public synchronized long pauseOf(CollectionEvent event) {
        boolean old = event.generation() == GarbageCollector.OLD;
        return switch (event.phase()) {
            case START -> {
                if (old) {
                    cyclePaused = false;
                }
                yield -1;
            }
            case PAUSE -> {
                cyclePaused |= old;
                yield event.pauseNanos();
            }
            case STOP -> {
                boolean cycle = old && cyclePaused;
                if (old) {
                    cyclePaused = false;
                }
                yield cycle ? -1 : event.pauseNanos();
            }
        };
    }
}
