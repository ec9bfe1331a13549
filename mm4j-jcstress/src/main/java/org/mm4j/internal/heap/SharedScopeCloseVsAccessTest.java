package org.mm4j.internal.heap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.mm4j.heap.Scope;
import org.mm4j.heap.StaleHandleException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A shared scope closed by one thread while another reads two fields of one of its objects. The scope's
 * guarantee: an operation either completes before the close, reading what was written, or throws
 * {@link StaleHandleException} without touching the object; a closed scope stays closed. So the second
 * read may fail where the first succeeded, never the other way round, and no read sees anything but the
 * values written (released memory would read as anything, or crash the JVM).
 *
 * <p>Result: r1, r2 = the fields a (42) and b (43) as read, -1 for a stale handle.
 */
@JCStressTest
@Outcome(id = "42, 43", expect = ACCEPTABLE, desc = "Both reads before the close.")
@Outcome(id = "42, -1", expect = ACCEPTABLE, desc = "The close fell between the reads.")
@Outcome(id = "-1, -1", expect = ACCEPTABLE, desc = "Both reads after the close.")
@Outcome(id = "-1, 43", expect = FORBIDDEN, desc = "The scope opened again after closing.")
@Outcome(expect = FORBIDDEN, desc = "A read saw released or unwritten memory.")
@State
@SuppressWarnings("MustBeClosedChecker") // closed by an actor
public class SharedScopeCloseVsAccessTest {
  private final Scope scope = Fixtures.SHARED.openSharedScope();
  private final long object = scope.allocate(Fixtures.PAIR);

  {
    Fixtures.SHARED.set(object, Fixtures.A, 42);
    Fixtures.SHARED.set(object, Fixtures.B, 43);
  }

  @Actor
  public void reader(II_Result r) {
    r.r1 = read(Fixtures.A);
    r.r2 = read(Fixtures.B);
  }

  @Actor
  public void closer() {
    scope.close();
  }

  private int read(org.mm4j.heap.IntField field) {
    try {
      return Fixtures.SHARED.get(object, field);
    } catch (StaleHandleException e) {
      return -1;
    }
  }
}
