package org.mm4j.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * The publication protocol mm4j's lock-free structures build on: a plain write of the payload,
 * then a release store of a flag; a reader that sees the flag with an acquire load must see the
 * payload.
 */
@JCStressTest
@Outcome(id = "-1", expect = ACCEPTABLE, desc = "Flag not seen yet: nothing published.")
@Outcome(id = "42", expect = ACCEPTABLE, desc = "Flag seen, payload seen.")
@Outcome(expect = FORBIDDEN, desc = "Flag seen without the payload: release/acquire broken.")
@State
public class ReleaseAcquirePublicationTest {

  private static final VarHandle READY;

  static {
    try {
      READY =
          MethodHandles.lookup()
              .findVarHandle(ReleaseAcquirePublicationTest.class, "ready", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private int payload;

  @SuppressWarnings("UnusedVariable") // read and written through READY
  private boolean ready;

  @Actor
  public void writer() {
    payload = 42;
    READY.setRelease(this, true);
  }

  @Actor
  public void reader(I_Result result) {
    result.r1 = (boolean) READY.getAcquire(this) ? payload : -1;
  }
}
