package org.mm4j.heap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A reader that learns an id through a volatile write made after its {@link Registry#publish} must find
 * the value, whether the publish stored it in place or grew the slots ({@link Type#ofId} relies on
 * this when the heap hands it the type id of a new object).
 *
 * <p>The registry is filled up to id 62, so the initial 64 slots hold id 63 in place and id 64 makes
 * them grow. The publisher publishes 63 and announces it, then 64 and announces it.
 *
 * <p>Result: r1, r2 = what the reader saw of id 63, then of id 64 (0: not announced yet, 1: announced
 * and found, -1: announced but not found).
 *
 * <p>This test lives in mm4j-core's package {@code org.mm4j.heap} to reach the package-private
 * registry: jcstress runs it on the class path, where it shares the runtime package with mm4j-core.
 */
@JCStressTest
@Outcome(id = {"0, 0", "1, 0", "0, 1", "1, 1"}, expect = ACCEPTABLE,
    desc = "Every announced id was found.")
@Outcome(expect = FORBIDDEN, desc = "An announced id was not found: a publication was lost.")
@State
public class RegistryPublishVsGetTest {
  private static final String VALUE = "value";

  private final Registry<String> registry = RegistryFixtures.filledTo(62);
  private volatile int inPlace;
  private volatile int grown;

  @Actor
  public void publisher() {
    int a = registry.reserveId();
    registry.publish(a, VALUE);
    inPlace = a;
    int b = registry.reserveId();
    registry.publish(b, VALUE);
    grown = b;
  }

  @Actor
  public void reader(II_Result r) {
    r.r1 = look(inPlace);
    r.r2 = look(grown);
  }

  private int look(int id) {
    if (id == 0) {
      return 0;
    }
    return VALUE.equals(registry.get(id)) ? 1 : -1;
  }
}
