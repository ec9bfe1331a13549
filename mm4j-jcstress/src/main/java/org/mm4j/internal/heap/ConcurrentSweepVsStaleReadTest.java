package org.mm4j.internal.heap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.lang.foreign.ValueLayout;
import org.mm4j.heap.StaleHandleException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The concurrent sweep ({@link Sweeper}) against a mutator reading a condemned object through a stale
 * handle. The object X, an old {@link Fixtures#PAIR} whose field {@code a} holds {@link #VALUE}, has lost
 * its last root before the cycle started; marking has ended, so X is condemned, but the handle still
 * works until the sweep unlinks X (its memory is intact until then).
 *
 * <p>The sweeper runs sweep steps on its own thread, inside an operation, as a collector thread does,
 * until X is unlinked and its batch freed — which {@link Sweeper#step} does only once the batch's
 * {@link GracePeriod} has passed — and then writes {@link #POISON} over the field, as the next owner of
 * the memory may. The reader, in one operation, looks X's handle up and reads the field. Its operation
 * began before the unlinking (the handle works: it must read {@link #VALUE}, the memory not yet freed) or
 * after it (the handle is stale: {@link StaleHandleException}). Reading the poison would mean that X's
 * memory was freed while an operation that had looked X up was still in progress.
 *
 * <p>Result: r1 = what the reader read (-1: stale handle), r2 = 1 if the sweeper freed the batch itself.
 */
@JCStressTest
@Outcome(id = {"7, 1", "-1, 1"}, expect = ACCEPTABLE,
    desc = "The read ran before the unlinking (value intact) or after it (stale handle).")
@Outcome(expect = FORBIDDEN, desc = "The reader saw freed memory, or the sweep did not free the object.")
@State
public class ConcurrentSweepVsStaleReadTest {
  static final int VALUE = 7;
  static final int POISON = 0x0BAD;

  private final HeapImpl heap = Fixtures.cycleHeap();
  private final long x = Fixtures.oldPair(heap, VALUE);
  private final long field;

  {
    Mutator m = heap.enter();
    try {
      field = heap.addressOf(x) + Fixtures.A.offset();
    } finally {
      heap.exit(m);
    }
    Fixtures.startMarking(heap);
    if (!Fixtures.finishMarking(heap)) {
      throw new IllegalStateException("marking did not end");
    }
  }

  @Actor
  public void reader(II_Result r) {
    try {
      r.r1 = heap.get(x, Fixtures.A);
    } catch (StaleHandleException e) {
      r.r1 = -1;
    }
  }

  @Actor
  public void sweeper(II_Result r) {
    Mutator m = heap.enter();
    try {
      Sweeper sweeper = heap.collector.sweeper;
      while (!sweeper.step(m, WorkBudget.units(Long.MAX_VALUE)) || sweeper.hasWaiting()) {
        Thread.onSpinWait(); // X is unlinked: its batch waits for the reader's operation, if it was in one
      }
      HeapImpl.VIEW.set(ValueLayout.JAVA_INT, field, POISON);
      r.r2 = 1;
    } finally {
      heap.exit(m);
    }
  }

  @Arbiter
  public void arbiter(II_Result r) {
    heap.close();
  }
}
