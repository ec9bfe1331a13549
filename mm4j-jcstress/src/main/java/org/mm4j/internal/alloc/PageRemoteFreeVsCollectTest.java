package org.mm4j.internal.alloc;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * A remote free racing the owner's collect on a page that is not queued: {@link Page#freeRemote}
 * against {@link Page#freeLocal} and {@link Page#collectRemote} ("Why a remote free is never lost" in
 * {@link Page}).
 *
 * <p>Slots 0 and 1 are handed out. The remote thread frees slot 1; the owner frees slot 0 and collects.
 * The remote free must be taken by the owner's collect or queue the page for a later collect. Nothing
 * but the remote free sets the page's queued flag here, so it always queues the page; {@link
 * PageRemoteFreeVsQueuedCollectTest} starts with the page queued, where not queueing is possible.
 *
 * <p>Result: r1 = the remote free queued the page (1) or not (0), r2 = slots the owner's collect took,
 * r3 = slots a final collect took, r4 = slots in use at the end.
 */
@JCStressTest
@Outcome(id = "1, 1, 0, 0", expect = ACCEPTABLE,
    desc = "The owner's collect took the remote free; the page was queued too (its next collect finds nothing).")
@Outcome(id = "1, 0, 1, 0", expect = ACCEPTABLE,
    desc = "The remote free came after the owner's collect and queued the page; a later collect takes it.")
@Outcome(id = "0, 1, 0, 0", expect = ACCEPTABLE,
    desc = "The owner's collect took the remote free, which did not queue the page (not reachable here).")
@Outcome(id = "0, 0, 1, 0", expect = FORBIDDEN,
    desc = "Lost free: neither collected by the owner nor queued, so no collect would ever take it.")
@Outcome(expect = FORBIDDEN, desc = "Slots counted wrongly, or a free failed.")
@State
public class PageRemoteFreeVsCollectTest {
  private final Page page = Fixtures.page(Fixtures.heap(), 2);

  @Actor
  public void remote(IIII_Result r) {
    r.r1 = Fixtures.tryFreeRemote(page, 1);
  }

  @Actor
  public void owner(IIII_Result r) {
    r.r2 = Fixtures.freeLocalThenCollect(page, 0);
  }

  @Arbiter
  public void arbiter(IIII_Result r) {
    Fixtures.collectRest(page, r);
  }
}
