package org.mm4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mm4j.heap.Heap;
import org.mm4j.os.MemoryBudget;

class GenomeScopeTest {
  @Test
  void theScopeIsReleasedWholeAndThePromotedWindowsOutliveIt() {
    MemoryBudget budget = MemoryBudget.of("genome-test", 1L << 30);
    try (Heap heap = Heap.builder().name("genome").budget(budget).build()) {
      long bases = 8L * GenomeScope.WINDOW_BASES;
      GenomeScope.Result r = GenomeScope.run(heap, budget, bases, 42);
      assertEquals(bases, r.bases());
      assertEquals(8, r.scopeObjects(), "one object per window");
      assertTrue(r.scopeBytes() >= bases, "the scratch buffer is in the scope");
      assertTrue(
          r.inside().budgetBytes() - r.before().budgetBytes() >= bases,
          "inside, the heap's budget holds the buffer: " + r);
      assertTrue(
          r.after().budgetBytes() - r.before().budgetBytes() <= 2 << 20,
          "after the close the budget is back where it was, but for the handle table's first block"
              + " (2 MiB, mapped for the heap's first ids): "
              + r);
      List<GenomeScope.Window> promoted = r.promoted();
      assertEquals(3, promoted.size());
      for (GenomeScope.Window w : promoted) {
        assertEquals(0, w.start() % GenomeScope.WINDOW_BASES);
        assertTrue(w.gcShare() >= 0.30 && w.gcShare() <= 0.65, "GC share " + w.gcShare());
      }
      assertTrue(promoted.get(0).gcShare() >= promoted.get(2).gcShare(), "richest first");
      double gc = r.analysis().gcShare();
      assertTrue(gc > 0.30 && gc < 0.65, "GC share " + gc);
      assertTrue(r.analysis().tataBoxes() > 0);
      assertEquals(8, r.analysis().commonestKmer().length());
      assertEquals(r, GenomeScope.run(heap, budget, bases, 42).withMemoryOf(r), "seeded: the same again");
    }
  }

  @Test
  void theGenomeIsWholeWindows() {
    try (Heap heap = Heap.builder().name("genome").build()) {
      MemoryBudget budget = MemoryBudget.unlimited("none");
      assertThrows(IllegalArgumentException.class, () -> GenomeScope.run(heap, budget, 1000, 1));
    }
  }
}
