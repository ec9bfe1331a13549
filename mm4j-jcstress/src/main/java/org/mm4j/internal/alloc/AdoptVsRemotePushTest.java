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
 * Adoption against a remote free: a thread frees a slot of a dead heap's page and pushes the page
 * while a live heap adopts the dead one ({@link ThreadHeap#adopt}, which closes the dead heap's stack
 * with {@code CLOSED}). The free must be collected during the adoption or be pending on the adopter's
 * remote stack; a push must never be stranded on the closed stack.
 *
 * <p>The dead heap's current page has slots 0 and 1 handed out; the remote thread frees slot 0. Slot
 * 1 stays in use, so the adoption files the page as available and never calls the (absent) allocator.
 *
 * <p>Result: r1 = slots the adoption collected, r2 = slots the adopter's next collect took, r3 = slots
 * in use at the end (1: slot 1).
 */
@JCStressTest
@Outcome(id = "1, 0, 1", expect = ACCEPTABLE,
    desc = "The adoption collected the free (pushed to the dead heap before it closed, or to the adopter).")
@Outcome(id = "0, 1, 1", expect = ACCEPTABLE,
    desc = "The free came after the adoption collected the page; it was pending on the adopter's stack.")
@Outcome(expect = FORBIDDEN,
    desc = "The remote free ended up nowhere (or was counted twice).")
@State
public class AdoptVsRemotePushTest {
  private final ThreadHeap dead = Fixtures.heap();
  private final ThreadHeap adopter = Fixtures.heap();
  private final Page page = Fixtures.currentPage(dead, 2);

  @Actor
  public void remote() {
    Fixtures.freeRemoteAndPush(page, 0);
  }

  @Actor
  public void adopt(III_Result r) {
    adopter.adopt(dead);
    r.r1 = 2 - page.usedSlots();
  }

  @Arbiter
  public void arbiter(III_Result r) {
    adopter.collectRemoteFrees();
    r.r2 = 2 - page.usedSlots() - r.r1;
    r.r3 = page.usedSlots();
    if (page.heap != adopter) {
      r.r3 = -100; // fails the test: the page must belong to the adopter
    }
  }
}
