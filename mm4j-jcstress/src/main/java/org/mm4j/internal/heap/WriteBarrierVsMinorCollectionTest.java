package org.mm4j.internal.heap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.lang.foreign.ValueLayout;
import org.mm4j.heap.GarbageCollector;
import org.mm4j.heap.GlobalHandle;
import org.mm4j.heap.HandleScope;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * A reference store from an old object to a young one ({@link HeapImpl#storeReference}, the write
 * barrier) racing a minor collection that another thread starts ({@code gc().collect(YOUNG)}).
 *
 * <p>The mutator allocates a young object in a scope of its own, gives it a value, stores it into an
 * old array (so the barrier flags the array and records it in the mutator's remembered-set buffer) and
 * closes the scope: from then on the old array is its only root. Whichever way the collection falls —
 * before the allocation, between the allocation and the store (the object is copied as a local root),
 * or after the store (the collection gathers the mutator's barrier record) — the object must survive
 * the arbiter's minor collection, which finds it only through the remembered set, with its value, and
 * the heap must verify before and after.
 *
 * <p>Every state has a heap of its own, closed by the arbiter, so a sample costs a heap's creation and
 * release: this test samples thousands of times a second, not millions.
 *
 * <p>Result: r1 = objects the racing collection copied (0: it ran before the allocation, 1: it found
 * the young object, through the mutator's scope or through the barrier), r2 = the value read through
 * the old array after the arbiter's collection (42; 0 if the reference was lost, -1 if the object was
 * freed, -2 if reading failed otherwise), r3 = the heap verified before and after that collection (1)
 * or not (0).
 */
@JCStressTest
@Outcome(id = "0, 42, 1", expect = ACCEPTABLE, desc = "The collection ran before the object was allocated.")
@Outcome(id = "1, 42, 1", expect = ACCEPTABLE, desc = "The collection copied the young object.")
@Outcome(id = ".*, -1, .*", expect = FORBIDDEN, desc = "Lost: the young object was freed though the old array refers to it.")
@Outcome(expect = FORBIDDEN, desc = "The store was lost or the heap is inconsistent.")
@State
public class WriteBarrierVsMinorCollectionTest {
  private static final int VALUE = 42;

  private final HeapImpl heap = Fixtures.heap();
  private final GlobalHandle root = Fixtures.oldRefs(heap);
  private final long holder = Fixtures.handle(heap, root);

  @Actor
  public void mutator() {
    try (HandleScope s = heap.openHandleScope()) {
      long young = heap.allocate(Fixtures.PAIR);
      heap.set(young, Fixtures.A, VALUE);
      heap.setRef(holder, 0, young); // old -> young: the barrier remembers the array
    }
  }

  @Actor
  public void collector(III_Result r) {
    heap.gc().collect(GarbageCollector.YOUNG);
    r.r1 = (int) heap.gc().stats(GarbageCollector.YOUNG).survivedObjects();
  }

  @Arbiter
  public void arbiter(III_Result r) {
    try {
      r.r3 = verifies() ? 1 : 0;
      heap.gc().collect(GarbageCollector.YOUNG); // the object's only root is the remembered old array
      r.r2 = valueThroughHolder();
      r.r3 &= verifies() ? 1 : 0;
    } finally {
      root.close();
      heap.close();
    }
  }

  /** Reads the array's first slot as a bare id, so that a dead referent is told from a null one. */
  private int valueThroughHolder() {
    Mutator m = heap.enter();
    try {
      int id = HeapImpl.VIEW.get(ValueLayout.JAVA_INT, heap.addressOf(holder) + HeapImpl.ARRAY_BASE);
      if (id == 0) {
        return 0;
      }
      if (!heap.table.isLive(id)) {
        return -1;
      }
      return heap.get(heap.table.handleOf(id), Fixtures.A);
    } catch (RuntimeException e) {
      return -2;
    } finally {
      heap.exit(m);
    }
  }

  private boolean verifies() {
    try {
      heap.gc().verify();
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }
}
