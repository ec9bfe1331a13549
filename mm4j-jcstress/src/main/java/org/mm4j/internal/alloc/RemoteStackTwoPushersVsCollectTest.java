package org.mm4j.internal.alloc;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The heap's remote stack: two threads each free a slot of a different page of one heap and push the
 * page ({@link ThreadHeap#pushRemote}) while the owner collects ({@link ThreadHeap#collectRemoteFrees}).
 * Every remote free must be collected by the owner or stay pending on the stack for the next collect.
 *
 * <p>Three actors: jcstress runs this test only on a machine with at least three CPUs (and skips it
 * silently on fewer). {@link RemoteStackPushVsCollectTest} and {@link RemoteStackConcurrentPushTest}
 * cover the same races two threads at a time.
 *
 * <p>Both pages have slots 0 and 1 handed out and are in state CURRENT, so collecting moves no page
 * between the heap's lists (the heap has no allocator). Each remote thread frees slot 0 of its page.
 *
 * <p>Result: r1 = pages whose free the owner's collect took (bit 0: page a, bit 1: page b), r2 = pages
 * whose free a final collect took, r3 = slots in use on both pages at the end (2: slot 1 of each).
 */
@JCStressTest
@Outcome(id = "0, 3, 2", expect = ACCEPTABLE, desc = "The owner collected before the pushes; both frees were pending.")
@Outcome(id = {"1, 2, 2", "2, 1, 2"}, expect = ACCEPTABLE,
    desc = "The owner collected one free; the other was pending on the stack.")
@Outcome(id = "3, 0, 2", expect = ACCEPTABLE, desc = "The owner collected both frees.")
@Outcome(expect = FORBIDDEN,
    desc = "A remote free was neither collected by the owner nor pending on the stack, or was counted twice.")
@State
public class RemoteStackTwoPushersVsCollectTest {
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
