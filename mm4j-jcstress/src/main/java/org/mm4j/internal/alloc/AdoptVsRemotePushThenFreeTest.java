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
 * Adoption against a remote free, then one more remote free of the adopted page, with another page
 * already waiting on the adopter's remote stack. This checks what {@link AdoptVsRemotePushTest} cannot
 * see: that the adoption leaves the adopted page's queued flag and the adopter's stack consistent (a
 * page on a stack has its flag set, so it is pushed at most once), so that no page on the adopter's
 * stack is lost.
 *
 * <p>The adopter's current page {@code own} has slots 0 and 1 handed out and slot 0 freed remotely
 * before the race, so {@code own} is on the adopter's stack. The dead heap's current page has slots 0,
 * 1 and 2 handed out. The remote thread frees slot 0 of the dead heap's page while the adopter adopts
 * the dead heap; afterwards a remote free of slot 1 and the adopter's collect.
 *
 * <p>Result: r1 = slots in use on {@code own} after the collect (1 once its remote free is
 * collected), r2 = slots in use on the adopted page after the collect (1: slot 2), r3 = whether a
 * remote free of {@code own}'s slot 1 after the collect queues {@code own} (1), as it must since the
 * collect emptied the stack, or finds its flag still set (0) and leaves it on no stack.
 */
@JCStressTest
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "Every remote free was collected.")
@Outcome(id = "2, 1, 0", expect = FORBIDDEN,
    desc = "The adopted page was pushed onto the adopter's stack twice: the page below it on the stack "
        + "was unlinked, and its remote free is stranded (its flag stays set, so it is never pushed again).")
@Outcome(expect = FORBIDDEN, desc = "A remote free was lost or counted twice.")
@State
public class AdoptVsRemotePushThenFreeTest {
  private final ThreadHeap dead = Fixtures.heap();
  private final ThreadHeap adopter = Fixtures.heap();
  private final Page own = Fixtures.currentPage(adopter, 2);
  private final Page page = Fixtures.currentPage(dead, 3);

  public AdoptVsRemotePushThenFreeTest() {
    Fixtures.freeRemoteAndPush(own, 0); // own is now on the adopter's remote stack
  }

  @Actor
  public void remote() {
    Fixtures.freeRemoteAndPush(page, 0);
  }

  @Actor
  public void adopt() {
    adopter.adopt(dead);
  }

  @Arbiter
  public void arbiter(III_Result r) {
    Fixtures.freeRemoteAndPush(page, 1);
    adopter.collectRemoteFrees();
    r.r1 = own.usedSlots();
    r.r2 = page.usedSlots();
    r.r3 = Fixtures.tryFreeRemote(own, 1);
  }
}
