package org.mm4j.internal.heap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.mm4j.heap.GlobalHandle;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A collector thread's marking step ({@link Collector#backgroundStep}: a {@link Marking#slice} inside the
 * mutator protocol, then the remark pause if no grey work was left) against another thread's stop of the
 * world ({@link Fixtures#withWorldStopped}). A slice must never run while the world is stopped: pauses move
 * young objects and free ids under the markers' feet, and the remark pause takes the grey work as complete.
 *
 * <p>Marking has started on a list of young nodes held by a global root at its head; the slice traces it node
 * by node, marking one node per object traced. With the world stopped, the other thread counts the marked
 * nodes and the objects traced, spins for {@value #SPIN_NANOS} ns, and counts again: nothing may change
 * meanwhile. What it sees first tells where the stop fell: before the slice (only the head marked, by the
 * start), after it (every node marked), or in it — a slice that runs beside mutators ends at its next check
 * when a stop is asked for ({@link WorkBudget#forSlices}), leaving part of the list to trace later, so the
 * pause waits for a few dozen objects of it, not for all of it.
 *
 * <p>Every state has a heap of its own (a cycle is heap-wide); the cycle's automatic work is on once marking
 * has started, since a collector thread's step does nothing otherwise, and nothing in the test allocates.
 *
 * <p>Result: r1 = what the stop found (0: the slice had not started; 1: part of the list marked, the slice
 * ended early for the stop; 2: the whole list marked), r2 = the marks or the traced count changed while the
 * world was stopped (1) or not (0).
 */
@JCStressTest
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "The stop came before the slice, which waited for it.")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "The stop came during the slice, which ended early for it.")
@Outcome(id = "2, 0", expect = ACCEPTABLE, desc = "The stop came after the slice.")
@Outcome(id = ".*, 1", expect = FORBIDDEN, desc = "The slice marked or traced while the world was stopped.")
@Outcome(expect = FORBIDDEN, desc = "No such result: the counts went wrong.")
@State
public class MarkerStepVsStopTheWorldTest {
  private static final int LENGTH = 256;
  private static final long SPIN_NANOS = 10_000;

  private final HeapImpl heap = Fixtures.cycleHeap();
  private final int[] nodes = new int[LENGTH];
  private final GlobalHandle root = Fixtures.list(heap, nodes);

  {
    Fixtures.startMarking(heap); // greys the head: its root
    heap.collector.setAutomatic(true);
  }

  @Actor
  public void collectorThread() {
    heap.collector.backgroundStep(heap.mutator(), 0);
  }

  @Actor
  public void stopper(II_Result r) {
    Fixtures.withWorldStopped(heap, () -> {
      int marked = marked();
      long traced = heap.marking.tracedObjects();
      long end = System.nanoTime() + SPIN_NANOS;
      while (System.nanoTime() - end < 0) {
        Thread.onSpinWait();
      }
      r.r1 = marked == 1 ? 0 : marked == LENGTH ? 2 : 1;
      r.r2 = marked() != marked || heap.marking.tracedObjects() != traced ? 1 : 0;
      return 0;
    });
  }

  @Arbiter
  public void arbiter() {
    root.close();
    heap.close();
  }

  private int marked() {
    int n = 0;
    for (int id : nodes) {
      if (heap.marking.isMarked(id)) {
        n++;
      }
    }
    return n;
  }
}
