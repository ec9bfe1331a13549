package org.mm4j.os;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Two threads reserve 60 bytes at once through two children (limit 100 each) of one parent of limit
 * 100. Each child has room, the parent has room for one: exactly one reservation succeeds, the parent
 * never exceeds its limit, and the failed one leaves nothing charged (its child's charge is undone).
 *
 * <p>Result: r1, r2 = whether each reservation succeeded (1) or not (0), r3 = bytes used by the
 * parent at the end, r4 = bytes used by both children at the end.
 */
@JCStressTest
@Outcome(id = "1, 0, 60, 60", expect = ACCEPTABLE,
    desc = "The first child's reservation won; the second's child charge was undone.")
@Outcome(id = "0, 1, 60, 60", expect = ACCEPTABLE,
    desc = "The second child's reservation won; the first's child charge was undone.")
@Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "Both succeeded: the parent's limit was exceeded.")
@Outcome(expect = FORBIDDEN,
    desc = "Neither succeeded, or a failed reservation left a charge (used bytes wrong).")
@State
public class MemoryBudgetSiblingsReserveTest {
  private final MemoryBudget parent = MemoryBudget.of("parent", 100);
  private final MemoryBudget left = parent.child("left", 100);
  private final MemoryBudget right = parent.child("right", 100);

  @Actor
  public void first(IIII_Result r) {
    r.r1 = left.tryReserve(60) ? 1 : 0;
  }

  @Actor
  public void second(IIII_Result r) {
    r.r2 = right.tryReserve(60) ? 1 : 0;
  }

  @Arbiter
  public void arbiter(IIII_Result r) {
    r.r3 = (int) parent.usedBytes();
    r.r4 = (int) (left.usedBytes() + right.usedBytes());
  }
}
