package org.mm4j.internal.alloc;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The heap's remote stack, pushes against the owner's collect: a thread frees a slot of page a and
 * pushes it ({@link ThreadHeap#pushRemote}), then does the same for page b, while the owner collects
 * ({@link ThreadHeap#collectRemoteFrees}). Every remote free must be collected by the owner or stay
 * pending on the stack for the next collect; the owner must follow the links of the pages it takes.
 *
 * <p>Both pages belong to one heap, have slots 0 and 1 handed out, and are in state CURRENT, so
 * collecting moves no page between the heap's lists (the heap has no allocator). The remote thread
 * frees slot 0 of each.
 *
 * <p>Result: r1 = pages whose free the owner's collect took (bit 0: page a, bit 1: page b), r2 = pages
 * whose free a final collect took, r3 = slots in use on both pages at the end (2: slot 1 of each).
 */
@JCStressTest
@Outcome(id = "0, 3, 2", expect = ACCEPTABLE, desc = "The owner collected before the first push; both frees were pending.")
@Outcome(id = "1, 2, 2", expect = ACCEPTABLE,
    desc = "The owner collected between the pushes: page a's free; page b's was pending.")
@Outcome(id = "3, 0, 2", expect = ACCEPTABLE, desc = "The owner collected after both pushes: both frees.")
@Outcome(id = "2, 1, 2", expect = ACCEPTABLE_INTERESTING,
    desc = "The owner took page b's free but not page a's, pushed before it; nothing lost, but unexpected.")
@Outcome(expect = FORBIDDEN,
    desc = "A remote free was neither collected by the owner nor pending on the stack, or was counted twice.")
@State
public class RemoteStackPushVsCollectTest {
  private final ThreadHeap heap = Fixtures.heap();
  private final Page a = Fixtures.currentPage(heap, 2);
  private final Page b = Fixtures.otherCurrentPage(heap, 2);

  @Actor
  public void remote() {
    Fixtures.freeRemoteAndPush(a, 0);
    Fixtures.freeRemoteAndPush(b, 0);
  }

  @Actor
  public void owner(III_Result r) {
    heap.collectRemoteFrees();
    r.r1 = Fixtures.collectedMask(a, b, 2);
  }

  @Arbiter
  public void arbiter(III_Result r) {
    heap.collectRemoteFrees();
    r.r2 = Fixtures.collectedMask(a, b, 2) & ~r.r1;
    r.r3 = a.usedSlots() + b.usedSlots();
  }
}
