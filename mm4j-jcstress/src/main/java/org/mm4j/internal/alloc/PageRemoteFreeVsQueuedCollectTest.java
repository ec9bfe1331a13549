package org.mm4j.internal.alloc;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * A remote free racing the owner's collect on a page that is already queued: the case where the
 * remote thread may find the queued flag set and not queue the page, so the owner's collect, which
 * clears the flag first, must take the free ("Why a remote free is never lost" in {@link Page}).
 *
 * <p>Slots 0, 1 and 2 are handed out, and slot 2 was freed remotely before the race, which queued the
 * page (as if it were on its heap's remote stack, about to be collected). The remote thread frees slot
 * 1; the owner frees slot 0 and collects.
 *
 * <p>Result: r1 = the remote free of slot 1 queued the page (1) or not (0), r2 = slots the owner's
 * collect took (slot 2 always, slot 1 maybe), r3 = slots a final collect took, r4 = slots in use at
 * the end.
 */
@JCStressTest
@Outcome(id = "0, 2, 0, 0", expect = ACCEPTABLE,
    desc = "The remote free saw the page queued; the owner's collect, which cleared the flag after, took it.")
@Outcome(id = "1, 1, 1, 0", expect = ACCEPTABLE,
    desc = "The remote free came after the owner's collect and queued the page again; a later collect takes it.")
@Outcome(id = "1, 2, 0, 0", expect = ACCEPTABLE_INTERESTING,
    desc = "Both: the owner took the free and the page was queued again (a harmless empty collect later).")
@Outcome(id = "0, 1, 1, 0", expect = FORBIDDEN,
    desc = "Lost free: the page was not queued again and the owner's collect missed the free.")
@Outcome(expect = FORBIDDEN, desc = "Slots counted wrongly, or a free failed.")
@State
public class PageRemoteFreeVsQueuedCollectTest {
  private final Page page = queuedPage();

  private static Page queuedPage() {
    Page p = Fixtures.page(Fixtures.heap(), 3);
    if (Fixtures.tryFreeRemote(p, 2) != 1) {
      throw new AssertionError("the first remote free must queue the page");
    }
    return p;
  }

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
