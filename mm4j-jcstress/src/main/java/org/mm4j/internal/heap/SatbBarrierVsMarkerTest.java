package org.mm4j.internal.heap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.mm4j.heap.GlobalHandle;
import org.mm4j.heap.Heap;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The write barrier's marking part ({@link HeapImpl#storeReference}: rules 1 and 3 of {@link Marking})
 * against a marker tracing the holder: while marking runs, a marker thread traces (a {@link Marking#slice})
 * an old array that a global root holds, while a mutator overwrites the array's first slot, X, with Y.
 *
 * <p>When marking started, X was reachable only through that slot, and Y through nothing: Y's handle outlived
 * the scope that allocated it (rule 3's case; no root held Y at the snapshot, so the start did not grey it).
 * After the store Y is reachable only through the array. The marker reads the slot once, before or after
 * the store, and so marks exactly one of the two — the result tells which. If it read X, only the barrier's
 * greying of the stored object keeps Y, which the program can still reach: condemning Y would leave the
 * array referring to an object the sweep frees. If it read Y, only the barrier's greying of the overwritten
 * reference keeps X, which was reachable at the snapshot (the snapshot's guarantee, as in
 * {@link SatbBarrierVsMarkStartTest}). Both must be kept whatever the order.
 *
 * <p>The barrier puts what it greys in the mutator's grey buffer, which only the remark pause drains, so the
 * marks the marker reads right after its slice are its own. The arbiter then drives marking to its end and
 * asks whether X and Y are condemned. Every state has a heap of its own (a cycle is heap-wide).
 *
 * <p>Result: r1 = what the marker's slice marked (1: X, it traced the array before the store; 2: Y, after
 * it), r2 = X kept when marking has ended (1) or condemned (0), r3 = the same for Y; -1 if marking did not
 * end.
 */
@JCStressTest
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE,
    desc = "The marker traced the array before the store: it marked X, the barrier greyed Y.")
@Outcome(id = "2, 1, 1", expect = ACCEPTABLE,
    desc = "The marker traced the array after the store: it marked Y, the barrier greyed X.")
@Outcome(id = ".*, .*, 0", expect = FORBIDDEN,
    desc = "Y, reachable through the array, was condemned: the barrier did not grey the stored object.")
@Outcome(id = ".*, 0, .*", expect = FORBIDDEN,
    desc = "X, reachable at the snapshot, was condemned: the barrier did not grey the overwritten reference.")
@Outcome(expect = FORBIDDEN, desc = "The marker read the slot more or less than once, or marking did not end.")
@State
public class SatbBarrierVsMarkerTest {
  private final HeapImpl heap = Fixtures.cycleHeap();
  private final GlobalHandle root = Fixtures.oldRefs(heap);
  private final long holder = Fixtures.handle(heap, root);
  private final long x = Fixtures.oldArray(heap);
  private final long y = Fixtures.oldArray(heap); // no root holds it: a handle that outlived its scope

  {
    heap.setRef(holder, 0, x); // X's only reference
    Fixtures.startMarking(heap); // greys the array (its root); X and Y are unmarked
  }

  @Actor
  public void marker(III_Result r) {
    Mutator m = heap.enter();
    try {
      heap.marking.slice(m, WorkBudget.units(Long.MAX_VALUE)); // traces all the grey work there is
      r.r1 = (heap.marking.isMarked(Heap.idOf(x)) ? 1 : 0) | (heap.marking.isMarked(Heap.idOf(y)) ? 2 : 0);
    } finally {
      heap.exit(m);
    }
  }

  @Actor
  public void mutator() {
    heap.setRef(holder, 0, y);
  }

  @Arbiter
  public void arbiter(III_Result r) {
    try {
      boolean ended = Fixtures.finishMarking(heap);
      r.r2 = ended ? Fixtures.kept(heap, x) : -1;
      r.r3 = ended ? Fixtures.kept(heap, y) : -1;
    } finally {
      root.close();
      heap.close();
    }
  }
}
