package org.mm4j.app;

import java.util.function.Consumer;
import org.mm4j.heap.GarbageCollector;
import org.mm4j.heap.GarbageCollector.CollectionEvent;

/**
 * The collections and pauses of a heap, minor (young) and major (old) apart, from the collector's
 * events. A minor or full collection is one pause (its STOP event); an old collection that runs
 * concurrently (a cycle) reports each of its pauses — remark, sweep slices — as a PAUSE event and its
 * end as a STOP with the total of its pauses, which is counted as a collection, not as one more pause. A
 * STOP of the old generation is a cycle's when PAUSE events came since the old generation's last START.
 */
final class PauseLog implements Consumer<CollectionEvent> {
  /** Collections of the minor (0) and major (1) kinds. */
  private final long[] collections = new long[2];

  /** The count, total and longest pause of each kind. */
  private final long[] pauses = new long[2];

  private final long[] totalNanos = new long[2];
  private final long[] maxNanos = new long[2];
  private boolean cyclePaused;

  @Override
  public synchronized void accept(CollectionEvent event) {
    int g = event.generation();
    switch (event.phase()) {
      case START -> {
        if (g == GarbageCollector.OLD) {
          cyclePaused = false;
        }
      }
      case PAUSE -> {
        cyclePaused = true;
        pause(g, event.pauseNanos());
      }
      case STOP -> {
        collections[g]++;
        if (!(g == GarbageCollector.OLD && cyclePaused)) {
          pause(g, event.pauseNanos());
        }
        if (g == GarbageCollector.OLD) {
          cyclePaused = false;
        }
      }
    }
  }

  private void pause(int g, long nanos) {
    pauses[g]++;
    totalNanos[g] += nanos;
    maxNanos[g] = Math.max(maxNanos[g], nanos);
  }

  /** Collections of {@code generation}: {@link GarbageCollector#YOUNG} for the minor ones. */
  synchronized long count(int generation) {
    return collections[generation];
  }

  /** Pauses of {@code generation}'s collections. */
  synchronized long pauses(int generation) {
    return pauses[generation];
  }

  synchronized long totalNanos(int generation) {
    return totalNanos[generation];
  }

  synchronized long maxNanos(int generation) {
    return maxNanos[generation];
  }

  /** The mean pause. */
  synchronized double meanNanos(int generation) {
    return pauses[generation] == 0 ? 0 : (double) totalNanos[generation] / pauses[generation];
  }
}
