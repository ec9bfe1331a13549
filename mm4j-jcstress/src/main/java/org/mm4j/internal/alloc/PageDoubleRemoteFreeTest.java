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
 * Two threads that do not own the page free the same slot at once (a double free):
 * {@link Page#freeRemote} must let exactly one succeed, queue the page once, and throw
 * {@link org.mm4j.alloc.InvalidFreeException} ({@code DOUBLE_FREE}) for the other.
 *
 * <p>Slots 0 and 1 are handed out; both threads free slot 0.
 *
 * <p>Result: r1, r2 = each free's outcome (1: freed and queued the page, 0: freed without queueing
 * it, -1: threw DOUBLE_FREE, -2: threw something else), r3 = slots a final collect took, r4 = slots
 * in use at the end.
 */
@JCStressTest
@Outcome(id = "1, -1, 1, 1", expect = ACCEPTABLE,
    desc = "The first free succeeded and queued the page; the second was detected as a double free.")
@Outcome(id = "-1, 1, 1, 1", expect = ACCEPTABLE,
    desc = "The second free succeeded and queued the page; the first was detected as a double free.")
@Outcome(id = {"1, 1, .*", "1, 0, .*", "0, 1, .*", "0, 0, .*"}, expect = FORBIDDEN,
    desc = "Both frees succeeded: an undetected double free.")
@Outcome(expect = FORBIDDEN,
    desc = "Neither succeeded, the page was not queued, the wrong exception, or slots counted wrongly.")
@State
public class PageDoubleRemoteFreeTest {
  private final Page page = Fixtures.page(Fixtures.heap(), 2);

  @Actor
  public void first(IIII_Result r) {
    r.r1 = Fixtures.tryFreeRemote(page, 0);
  }

  @Actor
  public void second(IIII_Result r) {
    r.r2 = Fixtures.tryFreeRemote(page, 0);
  }

  @Arbiter
  public void arbiter(IIII_Result r) {
    Fixtures.collectRest(page, r);
  }
}
