package org.mm4j.internal.heap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.mm4j.os.MemoryBudget;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Two mutators reserve one id each from a fresh {@link HandleTable} at once
 * ({@link HandleTable#reserve}). The first reserve also maps the table's first block, so the race covers
 * the block's publication as well as the high-water mark: both must get an id, never the same one.
 *
 * <p>Each thread activates its id after reserving it: had both got the same id, the second activate
 * would also fail, as the id would be live already.
 *
 * <p>Every state has a table of its own, closed by the arbiter, so a sample costs a mapping and an
 * unmapping: this test samples thousands of times a second, not millions.
 *
 * <p>Result: r1, r2 = the ids the two threads got (-1 if a reserve or an activate threw).
 */
@JCStressTest
@Outcome(id = {"1, 2", "2, 1"}, expect = ACCEPTABLE, desc = "Each thread got an id of its own.")
@Outcome(expect = FORBIDDEN, desc = "Both threads got the same id, or one of them failed.")
@State
public class HandleTableConcurrentReserveTest {
  private static final MemoryBudget BUDGET = MemoryBudget.unlimited("jcstress");

  /** 16 entries: the table maps one page, not a whole 2 MiB block. */
  private final HandleTable table = new HandleTable("jcstress", 16, 0, BUDGET);

  @Actor
  public void mutatorA(II_Result r) {
    r.r1 = reserveAndActivate(table);
  }

  @Actor
  public void mutatorB(II_Result r) {
    r.r2 = reserveAndActivate(table);
  }

  @Arbiter
  public void close(II_Result r) {
    table.close(); // unmaps the page: the forked JVM makes millions of these states
  }

  private static int reserveAndActivate(HandleTable table) {
    try {
      int[] into = new int[1];
      table.reserve(into, 1);
      table.activate(into[0], 0x1000L * into[0]);
      return into[0];
    } catch (RuntimeException e) {
      return -1;
    }
  }
}
