package org.mm4j.internal.heap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.mm4j.heap.GlobalHandle;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The stop-the-world handshake (the Dekker pattern in {@link Mutator}): a mutator's operation
 * ({@link HeapImpl#enter} … {@link HeapImpl#exit}) against a collector's stop
 * ({@link Collector#stopTheWorld} … {@link Collector#resumeTheWorld}, see
 * {@link Fixtures#withWorldStopped}). The two must never overlap.
 *
 * <p>Inside its operation the mutator writes field {@code a} of an object and then reads field
 * {@code b}; with the world stopped, the collector reads {@code a} and then writes {@code b} — both
 * with plain accesses, as a collection reads and moves objects. If the operation ran wholly before the
 * stop, the collector sees the mutator's write and the mutator not the collector's; if wholly after,
 * the reverse. That neither sees the other's write means both went ahead — the mutator read the stop
 * flag as clear while the collector read the mutator's state as OUT: the collector would have worked
 * on the heap with the mutator inside it. That both see each other's means the two overlapped.
 *
 * <p>This is what the protocol's volatile accesses buy: with the mutator's write of {@code IN} made a
 * release (or plain) write, the processor may let the mutator's read of the stop flag pass that write
 * (a store-load reordering, which x86 does), and the outcome {@code 0, 0} appears.
 *
 * <p>The objects live in one heap shared by every state ({@link Fixtures#SHARED}), so that a state
 * costs an allocation, not a heap: the states' allocations start real minor collections now and then,
 * which move the objects under the same protocol.
 *
 * <p>Result: r1 = the collector saw the mutator's write (1) or not (0), r2 = the mutator saw the
 * collector's write (1) or not (0), r3 = both writes are there afterwards (1) or one was lost (0).
 */
@JCStressTest
@Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "The mutator's operation ran before the world stopped.")
@Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "The mutator's operation ran after the world resumed.")
@Outcome(id = "0, 0, .*", expect = FORBIDDEN,
    desc = "Both went ahead: the collector had the world stopped with the mutator inside an operation.")
@Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "The operation and the stop overlapped.")
@Outcome(expect = FORBIDDEN, desc = "A write was lost.")
@State
public class StopTheWorldHandshakeTest {
  private final HeapImpl heap = Fixtures.SHARED;
  private final GlobalHandle root = Fixtures.pair(heap);
  private final long pair = Fixtures.handle(heap, root);

  @Actor
  public void mutator(III_Result r) {
    Mutator m = heap.enter();
    try {
      heap.set(pair, Fixtures.A, 1); // nested in the operation entered above
      r.r2 = heap.get(pair, Fixtures.B);
    } finally {
      heap.exit(m);
    }
  }

  @Actor
  public void collector(III_Result r) {
    r.r1 = Fixtures.withWorldStopped(heap, () -> {
      int seen = heap.get(pair, Fixtures.A);
      heap.set(pair, Fixtures.B, 1);
      return seen;
    });
  }

  @Arbiter
  public void arbiter(III_Result r) {
    r.r3 = heap.get(pair, Fixtures.A) == 1 && heap.get(pair, Fixtures.B) == 1 ? 1 : 0;
    root.close(); // the next collection frees the pair
  }
}
