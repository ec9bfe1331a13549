package org.mm4j.app;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A set of live allocations that turns over: a random share leaves (is freed) while newcomers
 * arrive (are allocated), both at once on the two {@link Lanes}. Only the calling thread touches
 * the member list; the lanes see only what they are handed.
 */
final class Population {
  private final Lanes lanes;
  private final List<MemorySegment> members = new ArrayList<>();

  Population(Lanes lanes) {
    this.lanes = lanes;
  }

  int size() {
    return members.size();
  }

  MemorySegment get(int index) {
    return members.get(index);
  }

  /**
   * Retires {@code leaving} members chosen with {@code random} on the discharges lane while {@code
   * arriving} newcomers made by {@code create} join on the admissions lane.
   */
  void turnOver(
      int leaving,
      int arriving,
      Random random,
      Supplier<MemorySegment> create,
      Consumer<MemorySegment> retire) {
    List<MemorySegment> leavers = removeAtRandom(leaving, random);
    List<MemorySegment> arrivals = new ArrayList<>(arriving);
    lanes.runTogether(
        () -> {
          for (int i = 0; i < arriving; i++) {
            arrivals.add(create.get());
          }
        },
        () -> leavers.forEach(retire));
    members.addAll(arrivals);
  }

  /** Retires every member on the discharges lane. */
  void retireAll(Consumer<MemorySegment> retire) {
    List<MemorySegment> leavers = new ArrayList<>(members);
    members.clear();
    lanes.runTogether(() -> {}, () -> leavers.forEach(retire));
  }

  /** Swap-with-last removal: O(1) a member, and the order left behind does not matter here. */
  private List<MemorySegment> removeAtRandom(int count, Random random) {
    if (count > members.size()) {
      throw new IllegalArgumentException(count + " cannot leave a population of " + members.size());
    }
    List<MemorySegment> removed = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int last = members.size() - 1;
      Collections.swap(members, random.nextInt(last + 1), last);
      removed.add(members.removeLast());
    }
    return removed;
  }
}
