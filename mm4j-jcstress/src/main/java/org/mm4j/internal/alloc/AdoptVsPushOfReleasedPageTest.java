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
 * A push of a page its owner already released, racing the adoption of the owner's heap. The remote
 * freer set the page's queued flag, then the owner collected its free and released the page (so the
 * page is in none of the heap's lists), then the owner died; the push is still in flight while another
 * heap adopts the dead one. The push must return: spinning until {@code Page.heap} names an adopter
 * would spin for ever, since adoption only re-owns the pages the dead heap still has.
 *
 * <p>Result: r1 = 1 once the push returned (jcstress reports a test that never finishes as an error),
 * r2 = whether the adoption filed the released page into the adopter's lists (it must not: the page
 * belongs to its chunk again).
 */
@JCStressTest
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "The push returned, leaving the released page off every stack.")
@Outcome(expect = FORBIDDEN, desc = "The push did not return, or the released page was adopted.")
@State
public class AdoptVsPushOfReleasedPageTest {
  private final ThreadHeap dead = Fixtures.heap();
  private final ThreadHeap adopter = Fixtures.heap();
  private final Page released = Fixtures.page(dead, 1);

  public AdoptVsPushOfReleasedPageTest() {
    // the remote freer's free, collected by the owner; then the page is released
    released.freeRemote(0, released.address); // sets the queued flag: the push is owed
    released.drainRemote();
    released.state = Page.RELEASED;
  }

  @Actor
  public void pusher(II_Result r) {
    ThreadHeap.pushRemote(released);
    r.r1 = 1;
  }

  @Actor
  public void adopt() {
    adopter.adopt(dead);
  }

  @Arbiter
  public void arbiter(II_Result r) {
    int onStack = 0;
    for (Page p : adopter.pages()) {
      onStack |= p == released ? 1 : 0;
    }
    r.r2 = onStack;
  }
}
