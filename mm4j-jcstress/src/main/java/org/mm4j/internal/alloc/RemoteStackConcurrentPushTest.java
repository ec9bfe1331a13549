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
 * The heap's remote stack, pushes against each other: two threads each free a slot of a different
 * page of one heap and push the page ({@link ThreadHeap#pushRemote}) at once. Neither push may be lost:
 * the owner's next collect ({@link ThreadHeap#collectRemoteFrees}) must take both frees.
 *
 * <p>Both pages have slots 0 and 1 handed out and are in state CURRENT; each thread frees slot 0 of
 * its page.
 *
 * <p>Result: r1 = pages whose free the collect took (bit 0: page a, bit 1: page b), r2 = slots in use
 * on both pages at the end (2: slot 1 of each).
 */
@JCStressTest
@Outcome(id = "3, 2", expect = ACCEPTABLE, desc = "Both pages were on the stack; the collect took both frees.")
@Outcome(expect = FORBIDDEN, desc = "A push was lost: its page was not on the stack.")
@State
public class RemoteStackConcurrentPushTest {
  private final ThreadHeap heap = Fixtures.heap();
  private final Page a = Fixtures.currentPage(heap, 2);
  private final Page b = Fixtures.otherCurrentPage(heap, 2);

  @Actor
  public void remoteA() {
    Fixtures.freeRemoteAndPush(a, 0);
  }

  @Actor
  public void remoteB() {
    Fixtures.freeRemoteAndPush(b, 0);
  }

  @Arbiter
  public void owner(II_Result r) {
    heap.collectRemoteFrees();
    r.r1 = Fixtures.collectedMask(a, b, 2);
    r.r2 = a.usedSlots() + b.usedSlots();
  }
}
