package org.mm4j.internal.heap;

import java.util.function.IntSupplier;
import org.mm4j.heap.GlobalHandle;
import org.mm4j.heap.HandleScope;
import org.mm4j.heap.Heap;
import org.mm4j.heap.IntField;
import org.mm4j.heap.Kind;
import org.mm4j.heap.RefField;
import org.mm4j.heap.Type;

/**
 * Heaps, objects and a stop-the-world hook for the jcstress tests of the managed heap's protocols.
 *
 * <p>These tests live in mm4j-core's package {@code org.mm4j.internal.heap}: jcstress runs them on the
 * class path, where the tests and mm4j-core share the unnamed module, so the package-private
 * {@link Mutator}, {@link Collector} and {@link HeapImpl} members are one runtime package with them.
 */
final class Fixtures {
  /** Two int fields: {@code a} and {@code b}. */
  static final Type PAIR = Type.struct("JcstressPair").intField("a").intField("b").build();
  static final IntField A = PAIR.intField("a");
  static final IntField B = PAIR.intField("b");

  /** References; an array of {@link #OLD_LENGTH} of them is above the nursery's object limit. */
  static final Type REFS = Type.arrayOf("JcstressRefs", Kind.REF);
  static final int OLD_LENGTH = 2048;

  /** One reference field, {@code next}: a list's node. */
  static final Type NODE = Type.struct("JcstressNode").refField("next").build();
  static final RefField NEXT = NODE.refField("next");

  /**
   * One heap for every state of a test that needs only objects, not a heap of its own: made once per
   * JVM and never closed (the forked test JVM exits when its tests are done). Its objects are global
   * roots, so the minor collections that the states' allocations start keep them.
   */
  static final HeapImpl SHARED = (HeapImpl) Heap.builder().name("jcstress-shared").nurseryBytes(256 << 10).build();

  private Fixtures() {}

  /**
   * A heap of its own for one state, closed by the arbiter: the smallest nursery, and 1024 ids, enough
   * for the threads of a test (each reserves ids 64 at a time) while the handle table stays a few pages.
   */
  static HeapImpl heap() {
    return (HeapImpl) small().build();
  }

  private static Heap.Builder small() {
    return Heap.builder().name("jcstress").nurseryBytes(256 << 10).maxObjects(1024);
  }

  /**
   * A heap of its own for one state of a test of the old collection's cycle (see {@link Marking}), closed
   * by the arbiter: as {@link #heap()}, with no collector threads and the cycle's automatic work off
   * ({@link Collector#setAutomatic}), so that only the test's own threads start, trace and end marking,
   * when the test says.
   */
  static HeapImpl cycleHeap() {
    HeapImpl heap = (HeapImpl) small().collectorThreads(0).build();
    heap.collector.setAutomatic(false);
    return heap;
  }

  /**
   * Starts a marking cycle in {@code heap}, idle, on the calling thread: the minor collection whose pause
   * takes the snapshot ({@link Collector#step}).
   */
  static void startMarking(HeapImpl heap) {
    while (heap.collector.step(Integer.MAX_VALUE) == Marking.IDLE) {
      // a bitmap left dirty by an earlier cycle is cleared first
    }
  }

  /**
   * Drives marking to its end on the calling thread — slices, then the remark pause that finds no grey
   * work left, every mutator's grey buffer drained — and returns whether it ended (the phase is {@link
   * Marking#SWEEPING}; false if marking had not started).
   */
  static boolean finishMarking(HeapImpl heap) {
    int phase = heap.marking.phase();
    while (phase == Marking.MARKING) {
      phase = heap.collector.step(Integer.MAX_VALUE);
    }
    return phase == Marking.SWEEPING;
  }

  /** After {@link #finishMarking}: 1 if {@code object} is kept, 0 if the marking that ended condemned it. */
  static int kept(HeapImpl heap, long object) {
    return heap.isLive(object) ? 1 : 0; // false while sweeping for a condemned object
  }

  /** A new {@link #PAIR} in {@code heap}, zeroed, held by a global root. */
  static GlobalHandle pair(HeapImpl heap) {
    try (HandleScope s = heap.openHandleScope()) {
      return heap.newGlobal(heap.allocate(PAIR));
    }
  }

  /**
   * A new {@link #REFS} array in {@code heap}'s old space, held by a global root: large objects are
   * allocated there directly, so it is old without a collection.
   */
  static GlobalHandle oldRefs(HeapImpl heap) {
    return heap.newGlobal(oldArray(heap));
  }

  /**
   * A new {@link #REFS} array in {@code heap}'s old space that no root holds: its handle outlived the
   * scope that allocated it, and still works, since only a cycle's sweep or a full collection frees an old
   * object.
   */
  static long oldArray(HeapImpl heap) {
    try (HandleScope s = heap.openHandleScope()) {
      long array = heap.allocateArray(REFS, OLD_LENGTH);
      Mutator m = heap.enter();
      try {
        if (heap.nursery.contains(heap.addressOf(array))) {
          throw new IllegalStateException("a " + OLD_LENGTH + "-element array was allocated young");
        }
      } finally {
        heap.exit(m);
      }
      return array;
    }
  }

  /**
   * A new {@link #PAIR} in {@code heap}'s old space, with {@code a} = {@code value}, that no root holds:
   * pinning it moved it there (a pin promotes a young object), and its handle outlived its scope.
   */
  static long oldPair(HeapImpl heap, int value) {
    try (HandleScope s = heap.openHandleScope()) {
      long pair = heap.allocate(PAIR);
      heap.set(pair, A, value);
      heap.pin(pair).close();
      Mutator m = heap.enter();
      try {
        if (heap.nursery.contains(heap.addressOf(pair))) {
          throw new IllegalStateException("a pinned pair is still young");
        }
      } finally {
        heap.exit(m);
      }
      return pair;
    }
  }

  /**
   * A list of {@code ids.length} new young {@link #NODE}s, each referring to the next, held by a global
   * root at its head; fills {@code ids} with the nodes' ids, head first.
   */
  static GlobalHandle list(HeapImpl heap, int[] ids) {
    try (HandleScope s = heap.openHandleScope()) {
      long next = 0;
      for (int i = ids.length - 1; i >= 0; i--) {
        long node = heap.allocate(NODE);
        heap.set(node, NEXT, next);
        ids[i] = Heap.idOf(node);
        next = node;
      }
      return heap.newGlobal(next);
    }
  }

  /** The handle of {@code root}'s object, which lives as long as the root; no scope needed to keep it. */
  static long handle(HeapImpl heap, GlobalHandle root) {
    try (HandleScope s = heap.openHandleScope()) {
      return root.get();
    }
  }

  /**
   * What a collection does around its work, through the collector's own code
   * ({@link Collector#withWorldStopped}): enter an operation, take the collector's lock (stepping out
   * while another thread collects), stop the world, run {@code body}, resume, unlock, exit. {@code body} runs on the calling thread with every other mutator OUT; it may use the
   * heap's operations, which nest inside this one and so do not wait for the world.
   */
  static int withWorldStopped(HeapImpl heap, IntSupplier body) {
    return heap.collector.withWorldStopped(self -> body.getAsInt());
  }

}
