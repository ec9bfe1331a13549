package org.mm4j.app;

import java.util.function.Consumer;
import org.mm4j.heap.GarbageCollector;
import org.mm4j.heap.GarbageCollector.CollectionEvent;

/**
 * The pauses of a heap's minor and major collections, kept apart. {@link
 * org.mm4j.heap.CollectionStats} of the young generation counts every collection, majors included
 * (each begins by collecting the nursery), so its maximum pause is a major one's; the collector's
 * events name each collection's generation.
 */
final class PauseLog implements Consumer<CollectionEvent> {
  /** The count, total and longest pause of the minor (0) and major (1) collections. */
  private final long[] counts = new long[2];

  private final long[] totalNanos = new long[2];
  private final long[] maxNanos = new long[2];

  @Override
  public void accept(CollectionEvent event) {
    if (event.phase() == CollectionEvent.Phase.STOP) {
      int g = event.generation();
      counts[g]++;
      totalNanos[g] += event.pauseNanos();
      maxNanos[g] = Math.max(maxNanos[g], event.pauseNanos());
    }
  }

  /** Collections of {@code generation}: {@link GarbageCollector#YOUNG} for the minor ones. */
  long count(int generation) {
    return counts[generation];
  }

  long totalNanos(int generation) {
    return totalNanos[generation];
  }

  long maxNanos(int generation) {
    return maxNanos[generation];
  }

  double meanNanos(int generation) {
    return counts[generation] == 0 ? 0 : (double) totalNanos[generation] / counts[generation];
  }
}
