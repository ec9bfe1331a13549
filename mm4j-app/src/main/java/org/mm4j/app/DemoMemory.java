package org.mm4j.app;

import java.util.ArrayList;
import java.util.List;
import org.mm4j.alloc.BumpArena;
import org.mm4j.alloc.LargeAllocator;
import org.mm4j.alloc.MemoryAllocator;
import org.mm4j.alloc.MemoryLeakException;
import org.mm4j.alloc.ObjectPool;
import org.mm4j.alloc.SizeClassAllocator;
import org.mm4j.alloc.SlabAllocator;
import org.mm4j.os.MemoryBudget;

/**
 * The demo's memory: four allocators, one per kind of data, charging one shared budget; and a pool
 * of on-heap polygons. The scratch arena is confined to the thread that builds this, so that thread
 * must also run the statistics and {@link #close()}.
 */
final class DemoMemory {
  /**
   * The budget: 1 GiB for each 200,000 patients or part of them (their number also scales the
   * shapes). About eight times what the workload needs, so it is a hard stop for a runaway, not a
   * constraint.
   */
  private static final long BUDGET_BYTES_PER_STEP = 1L << 30;

  private static final int PATIENTS_PER_BUDGET_STEP = 200_000;

  /** The pool's name ({@link ObjectPool} keeps its name to itself). */
  static final String POOL_NAME = "polygons";

  final MemoryBudget budget;
  final SizeClassAllocator shapes;
  final SlabAllocator patients;
  final BumpArena scratch;
  final LargeAllocator images;
  final ObjectPool<Polygon> polygons;

  /** An allocator and what the demo uses it for. */
  record Part(String use, MemoryAllocator allocator) {}

  DemoMemory(int patientCount) {
    long steps = (patientCount + PATIENTS_PER_BUDGET_STEP - 1L) / PATIENTS_PER_BUDGET_STEP;
    budget = MemoryBudget.of("demo", steps * BUDGET_BYTES_PER_STEP);
    shapes = SizeClassAllocator.builder().name("shapes").budget(budget).build();
    // Scrubbed on free: a discharged patient's data must not linger in a slot awaiting reuse.
    patients =
        SlabAllocator.builder(PatientRecord.BYTES)
            .name("patients")
            .scrubOnFree(true)
            .budget(budget)
            .build();
    scratch = BumpArena.builder().name("scratch").budget(budget).build();
    images = LargeAllocator.builder().name("images").budget(budget).build();
    polygons = ObjectPool.builder(Polygon::new).name(POOL_NAME).reset(Polygon::clear).build();
  }

  /** The allocators in report order. */
  List<Part> parts() {
    return List.of(
        new Part("size classes; polygons of 32 to 256 B, made and dropped in waves", shapes),
        new Part(
            "slab of " + patients.slotBytes() + " B slots, scrubbed on free; patient records",
            patients),
        new Part("bump arena, emptied after each batch; statistics scratch", scratch),
        new Part("large, aligned to 2 MiB; image planes, the last study still open", images));
  }

  /**
   * Gives back what the allocators hold but do not use. A paged allocator's trim() releases only
   * the calling thread's empty pages, and slots that another thread freed return to their page only
   * when the page's owner collects them; so each lane trims its own heap, then the calling thread
   * trims the rest. (Trimmed from this thread alone, the lanes' pages stay committed.)
   */
  void trim(Lanes lanes) {
    lanes.runOnBoth(
        () -> {
          shapes.trim();
          patients.trim();
        });
    for (Part part : parts()) {
      part.allocator().trim();
    }
  }

  /**
   * Closes the pool and every allocator, even after a leak. Returns what leaked, one message per
   * allocator or pool; empty when everything was given back.
   */
  List<String> close() {
    List<String> leaks = new ArrayList<>();
    long outstanding = polygons.stats().outstanding();
    if (outstanding != 0) {
      leaks.add(
          "object pool '" + POOL_NAME + "': " + outstanding + " objects acquired, not released");
    }
    polygons.close();
    for (Part part : parts()) {
      try {
        part.allocator().close();
      } catch (MemoryLeakException e) {
        leaks.add(e.getMessage());
      }
    }
    return leaks;
  }
}
