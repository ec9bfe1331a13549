package org.mm4j.os;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJJ_Result;

/**
 * Two threads reserve 60 bytes of a budget of 100 at once ({@link MemoryBudget#tryReserve}): exactly
 * one succeeds, and the limit is never exceeded, not even transiently (the peak stays 60).
 *
 * <p>Result: r1, r2 = whether each reservation succeeded (1) or not (0), r3 = bytes used at the end,
 * r4 = the peak.
 */
@JCStressTest
@Outcome(id = "1, 0, 60, 60", expect = ACCEPTABLE, desc = "The first reservation won.")
@Outcome(id = "0, 1, 60, 60", expect = ACCEPTABLE, desc = "The second reservation won.")
@Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "Both succeeded: the limit was exceeded.")
@Outcome(expect = FORBIDDEN, desc = "Neither succeeded, or used or peak bytes are wrong.")
@State
public class MemoryBudgetReserveTest {
  private final MemoryBudget budget = MemoryBudget.of("jcstress", 100);

  @Actor
  public void first(JJJJ_Result r) {
    r.r1 = budget.tryReserve(60) ? 1 : 0;
  }

  @Actor
  public void second(JJJJ_Result r) {
    r.r2 = budget.tryReserve(60) ? 1 : 0;
  }

  @Arbiter
  public void arbiter(JJJJ_Result r) {
    r.r3 = budget.usedBytes();
    r.r4 = budget.peakBytes();
  }
}
