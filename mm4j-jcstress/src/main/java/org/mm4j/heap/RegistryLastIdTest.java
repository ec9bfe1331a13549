package org.mm4j.heap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Two threads ask for the last free id at once: exactly one gets it, the other is refused (0), and the
 * counter stays at the limit, so a refused {@link Type.Builder#build()} changes nothing.
 *
 * <p>Result: r1, r2 = the ids the two threads got, r3 = what a third request gets afterwards.
 */
@JCStressTest
@Outcome(id = {"5, 0, 0", "0, 5, 0"}, expect = ACCEPTABLE, desc = "One got the last id, the other none.")
@Outcome(expect = FORBIDDEN, desc = "The last id was given twice, lost, or the limit was passed.")
@State
public class RegistryLastIdTest {
  private final Registry<String> registry = RegistryFixtures.filledTo(4, 5);

  @Actor
  public void first(III_Result r) {
    r.r1 = registry.reserveId();
  }

  @Actor
  public void second(III_Result r) {
    r.r2 = registry.reserveId();
  }

  @Arbiter
  public void arbiter(III_Result r) {
    r.r3 = registry.reserveId();
  }
}
