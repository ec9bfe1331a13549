package org.mm4j.internal.heap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.mm4j.heap.GlobalHandle;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The deletion barrier ({@link HeapImpl#storeReference}, rule 1 of {@link Marking}) against the start of
 * marking: a mutator overwrites the only reference to an old object X, in an old array that a global root
 * holds, while another thread starts a marking cycle ({@link Collector#step}: the minor collection whose
 * stop-the-world pause takes the snapshot and greys the roots).
 *
 * <p>The phase changes only while the world is stopped, and the store runs wholly inside one operation, so
 * it falls either before the start or after it — and the mutator reads which, inside that operation. Before:
 * X was unreachable at the snapshot, nothing greys it, and the cycle condemns it. After: X was reachable at
 * the snapshot, through the array, which the start only greyed (no marker has traced it yet when the arbiter
 * begins), so the array's slot holds the stored object by the time it is traced, and X is marked only if the
 * barrier greyed it as it was overwritten. Condemning it then would break the snapshot: every object
 * reachable when marking started is marked, the guarantee that the completeness argument of {@link Marking}
 * starts from. (Once overwritten, X is unreachable, so here condemning it would free nothing the program
 * can still reach: what fails is the snapshot guarantee itself.)
 *
 * <p>The arbiter drives marking to its end on its own thread (slices, then the remark pause, which drains
 * the mutator's grey buffer) and asks whether X is condemned. The stored object is a young one that a
 * global root holds. Every state has a heap of its own, with no collector threads and no automatic cycle
 * work: a cycle is heap-wide, and states sharing a heap would start and end each other's.
 *
 * <p>Result: r1 = the phase the store ran in (0: idle, before the start; 1: marking, after it), r2 = X is
 * kept when marking has ended (1) or condemned (0); -1 if marking did not end.
 */
@JCStressTest
@Outcome(id = "0, 0", expect = ACCEPTABLE,
    desc = "The store ran before marking started: X was unreachable at the snapshot and is condemned.")
@Outcome(id = "1, 1", expect = ACCEPTABLE,
    desc = "The store ran after marking started: X, reachable at the snapshot, was greyed by the barrier and kept.")
@Outcome(id = "0, 1", expect = ACCEPTABLE_INTERESTING,
    desc = "X was unreachable at the snapshot, yet kept: safe, but marking is documented to be precise.")
@Outcome(id = "1, 0", expect = FORBIDDEN,
    desc = "X was reachable at the snapshot, yet condemned: the store after the start lost it.")
@Outcome(expect = FORBIDDEN, desc = "The store ran in another phase, or marking did not end.")
@State
public class SatbBarrierVsMarkStartTest {
  private final HeapImpl heap = Fixtures.cycleHeap();
  private final GlobalHandle root = Fixtures.oldRefs(heap);
  private final long holder = Fixtures.handle(heap, root);
  private final long x = Fixtures.oldArray(heap);
  private final GlobalHandle storedRoot = Fixtures.pair(heap);
  private final long stored = Fixtures.handle(heap, storedRoot);

  {
    heap.setRef(holder, 0, x); // X's only reference: its handle's scope is closed
  }

  @Actor
  public void mutator(II_Result r) {
    Mutator m = heap.enter();
    try {
      r.r1 = heap.cyclePhase; // read inside the operation that stores: the store runs in this phase
      heap.setRef(holder, 0, stored); // nested in the operation entered above
    } finally {
      heap.exit(m);
    }
  }

  @Actor
  public void starter() {
    Fixtures.startMarking(heap);
  }

  @Arbiter
  public void arbiter(II_Result r) {
    try {
      r.r2 = Fixtures.finishMarking(heap) ? Fixtures.kept(heap, x) : -1;
    } finally {
      root.close();
      storedRoot.close();
      heap.close();
    }
  }
}
