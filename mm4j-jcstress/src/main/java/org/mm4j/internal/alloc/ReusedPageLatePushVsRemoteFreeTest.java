package org.mm4j.internal.alloc;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The late push of a released page whose descriptor was reused ({@link Page#moveTo}), racing a remote
 * free into the new page. A freer set the page's queued flag after the owner reset it; the owner then
 * collected its free, released the page and reused the descriptor for a new page, which has slots handed
 * out; the freer's push is still in flight. Another page is on the heap's remote stack already. The page
 * must end up on the stack once: pushed twice, it would link to itself and drop the page below it, whose
 * free would never be collected.
 *
 * <p>Result: r1 = slots still used in the page below after the owner collects (1: its free was
 * collected), r2 = the same for the reused page (1: the new free was collected).
 */
@JCStressTest
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "Both frees collected: the page was on the stack once.")
@Outcome(expect = FORBIDDEN, desc = "A free was lost: the page below, or the new free, was dropped.")
@State
public class ReusedPageLatePushVsRemoteFreeTest {
  private final ThreadHeap heap = Fixtures.heap();
  private final Page below = Fixtures.otherCurrentPage(heap, 2);
  private final Page reused = Fixtures.page(heap, 1);

  public ReusedPageLatePushVsRemoteFreeTest() {
    reused.freeRemote(0, reused.address); // sets the queued flag: the push is owed
    reused.drainRemote(); // the owner collected the free
    reused.state = Page.RELEASED;
    reused.moveTo(Fixtures.chunk(), 0); // and reused the descriptor for a new page
    reused.allocSlot();
    reused.allocSlot();
    reused.state = Page.CURRENT;
    if (below.freeRemote(0, below.address)) {
      ThreadHeap.pushRemote(below);
    }
  }

  @Actor
  public void latePush() {
    ThreadHeap.pushRemote(reused);
  }

  @Actor
  public void remoteFree() {
    if (reused.freeRemote(1, Fixtures.address(reused, 1))) {
      ThreadHeap.pushRemote(reused);
    }
  }

  @Arbiter
  public void arbiter(II_Result r) {
    heap.collectRemoteFrees();
    r.r1 = below.usedSlots();
    r.r2 = reused.usedSlots();
  }
}
