package org.mm4j.heap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Two types built at once, one stored in place in the registry's slots while the other makes them
 * grow: the copy must not lose the one stored in place ({@link Registry#publish} takes a lock for this).
 *
 * <p>The registry is filled up to id 62 and ids 63 and 64 are reserved: 63 fits the initial 64 slots,
 * 64 makes them grow.
 *
 * <p>Result: r1, r2 = whether id 63, then id 64, is found after both publishes (1) or not (0).
 */
@JCStressTest
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "Both publications are found.")
@Outcome(expect = FORBIDDEN, desc = "A publication was lost.")
@State
public class RegistryPublishVsPublishTest {
  private final Registry<String> registry = RegistryFixtures.filledTo(62);
  private final int inPlace = registry.reserveId();
  private final int grows = registry.reserveId();

  @Actor
  public void storesInPlace() {
    registry.publish(inPlace, "in place");
  }

  @Actor
  public void grows() {
    registry.publish(grows, "grows");
  }

  @Arbiter
  public void arbiter(II_Result r) {
    r.r1 = "in place".equals(registry.get(inPlace)) ? 1 : 0;
    r.r2 = "grows".equals(registry.get(grows)) ? 1 : 0;
  }
}
