package org.mm4j.internal.heap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.mm4j.heap.Scope;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * One thread allocates an object in a shared scope, writes a field and publishes the handle through a
 * volatile; another reads the volatile and then the field. The scope's ordering guarantee is the JMM's
 * for Java fields: a happens-before edge of the program's (here the volatile) makes the write visible, so
 * a reader that sees the handle sees the field written, never the zeroed memory of a new object.
 *
 * <p>Result: r1 = the field read (42), or -1 if the handle was not published yet.
 */
@JCStressTest
@Outcome(id = "42", expect = ACCEPTABLE, desc = "The handle and the write were seen.")
@Outcome(id = "-1", expect = ACCEPTABLE, desc = "The handle was not published yet.")
@Outcome(id = "0", expect = FORBIDDEN, desc = "The handle was seen without the write before it.")
@Outcome(expect = FORBIDDEN, desc = "Anything else.")
@State
@SuppressWarnings("MustBeClosedChecker") // closed by the arbiter
public class SharedScopePublicationTest {
  private final Scope scope = Fixtures.SHARED.openSharedScope();
  private volatile long published;

  @Actor
  public void writer() {
    long object = scope.allocate(Fixtures.PAIR);
    Fixtures.SHARED.set(object, Fixtures.A, 42);
    published = object;
  }

  @Actor
  public void reader(I_Result r) {
    long object = published;
    r.r1 = object == 0 ? -1 : Fixtures.SHARED.get(object, Fixtures.A);
  }

  @Arbiter
  public void arbiter() {
    scope.close();
  }
}
