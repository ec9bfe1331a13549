package org.mm4j.internal.heap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.mm4j.heap.Scope;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Two threads allocate in one shared scope at once and write their object. Allocation is thread-safe:
 * the objects are distinct (different ids, no overlapping memory, so neither write is lost) and the scope
 * counts both.
 *
 * <p>Result: r1, r2 = field a of each thread's object as read by the arbiter (1 and 2), r3 = 1 if the ids
 * differ and the scope counts two objects.
 */
@JCStressTest
@Outcome(id = "1, 2, 1", expect = ACCEPTABLE, desc = "Two distinct objects, both writes kept.")
@Outcome(expect = FORBIDDEN, desc = "The allocations collided.")
@State
@SuppressWarnings("MustBeClosedChecker") // closed by the arbiter
public class SharedScopeConcurrentAllocationTest {
  private final Scope scope = Fixtures.SHARED.openSharedScope();
  private long first;
  private long second;

  @Actor
  public void one() {
    first = scope.allocate(Fixtures.PAIR);
    Fixtures.SHARED.set(first, Fixtures.A, 1);
    Fixtures.SHARED.set(first, Fixtures.B, 1);
  }

  @Actor
  public void two() {
    second = scope.allocate(Fixtures.PAIR);
    Fixtures.SHARED.set(second, Fixtures.B, 2);
    Fixtures.SHARED.set(second, Fixtures.A, 2);
  }

  @Arbiter
  public void arbiter(III_Result r) {
    try {
      r.r1 = Fixtures.SHARED.get(first, Fixtures.A) * Fixtures.SHARED.get(first, Fixtures.B);
      r.r2 = Fixtures.SHARED.get(second, Fixtures.A) * Fixtures.SHARED.get(second, Fixtures.B) / 2;
      r.r3 = (int) first != (int) second && scope.objectCount() == 2 ? 1 : 0;
    } finally {
      scope.close();
    }
  }
}
