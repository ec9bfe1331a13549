package org.mm4j.app;

import java.util.function.Consumer;
import org.mm4j.app.bench.CollectionPauses;
import org.mm4j.heap.GarbageCollector;
import org.mm4j.heap.GarbageCollector.CollectionEvent;

/**
 * The collections and pauses of a heap, minor (young) and major (old) apart, from the collector's
 * events: which events are pauses is {@link CollectionPauses}'s to say; every STOP is a collection.
 */
final class PauseLog implements Consumer<CollectionEvent> {
  /** Collections of the minor (0) and major (1) kinds. */
  private final long[] collections = new long[2];

  /** The count, total and longest pause of each kind. */
  private final long[] pauses = new long[2];

  private final long[] totalNanos = new long[2];
  private final long[] maxNanos = new long[2];
  private final CollectionPauses kinds = new CollectionPauses();

  @Override
  public synchronized void accept(CollectionEvent event) {
    int g = event.generation();
    long pause = kinds.pauseOf(event);
    if (event.phase() == CollectionEvent.Phase.STOP) {
      collections[g]++;
    }
    if (pause >= 0) {
      pause(g, pause);
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
