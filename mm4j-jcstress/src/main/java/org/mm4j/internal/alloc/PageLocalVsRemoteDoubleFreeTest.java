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
 * The owner and another thread free the same slot at once (a double free across threads). The owner's
 * bitmap is written with plain stores, so {@link Page} does not promise to detect this race: it
 * promises that the slot is counted free once ({@link Page#collectRemote} drops a remote bit that is
 * already free locally), so the page's accounting stays right.
 *
 * <p>Slots 0 and 1 are handed out; the owner and the remote thread both free slot 0.
 *
 * <p>Result: r1 = the owner's free (0: freed, -1: threw DOUBLE_FREE), r2 = the remote free (1: freed
 * and queued the page, 0: freed without queueing, -1: threw DOUBLE_FREE), r3 = slots a final collect
 * took, r4 = slots in use at the end (slot 1 only: 1).
 */
@JCStressTest
@Outcome(id = "0, -1, 0, 1", expect = ACCEPTABLE,
    desc = "The owner freed first; the remote free saw the slot free and threw DOUBLE_FREE.")
@Outcome(id = "-1, 1, 1, 1", expect = ACCEPTABLE,
    desc = "The remote free came first; the owner saw its bit and threw DOUBLE_FREE.")
@Outcome(id = "0, 1, 0, 1", expect = ACCEPTABLE_INTERESTING,
    desc = "Both frees passed their checks (the race is not detected); the slot is still counted free once.")
@Outcome(expect = FORBIDDEN,
    desc = "Neither free succeeded, or the slot was counted free twice (or not at all).")
@State
public class PageLocalVsRemoteDoubleFreeTest {
  private final Page page = Fixtures.page(Fixtures.heap(), 2);

  @Actor
  public void owner(IIII_Result r) {
    r.r1 = Fixtures.tryFreeLocal(page, 0);
  }

  @Actor
  public void remote(IIII_Result r) {
    r.r2 = Fixtures.tryFreeRemote(page, 0);
  }

  @Arbiter
  public void arbiter(IIII_Result r) {
    Fixtures.collectRest(page, r);
  }
}
