package org.mm4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mm4j.heap.CollectionStats;
import org.mm4j.heap.GarbageCollector;
import org.mm4j.heap.GarbageCollector.CollectionEvent;
import org.mm4j.heap.Heap;

/**
 * The heap cohort: churn that keeps its counts, a heap that verifies, and the same data in Java.
 */
class HeapCohortTest {
  private Heap heap;

  @BeforeEach
  void open() {
    // A small nursery, so that even a small cohort sees minor collections and promotions.
    heap = Heap.builder().name("test-cohort").nurseryBytes(256 << 10).build();
  }

  @AfterEach
  void verifyAndClose() {
    try {
      heap.gc().verify();
    } finally {
      heap.close();
    }
  }

  @Test
  void churnKeepsTheCohortsCountsAndTheHeapVerifies() {
    try (HeapCohort cohort = HeapCohort.admit(heap, 1000, new Random(1))) {
      CohortSummary first = cohort.summarize();
      assertEquals(1000, first.patients());
      assertEquals(1000, first.admitted());
      assertTrue(first.visits() >= 1000 && first.visits() <= 5000, first.toString());
      assertTrue(first.labResults() >= 2 * first.visits(), first.toString());
      cohort.turnOver(0.1);
      cohort.followUp(0.5);
      heap.gc().verify();
      CohortSummary second = cohort.summarize();
      assertEquals(1000, second.patients());
      assertEquals(1100, second.admitted());
      assertEquals(100, second.discharged());
      assertEquals(500, second.visitsAdded());
      heap.gc().collect(GarbageCollector.OLD);
      Footprint footprint = HeapCohort.footprint(heap.stats());
      assertEquals(1000, footprint.parts().get(Footprint.Part.PATIENT).objects());
      assertEquals(1000, footprint.parts().get(Footprint.Part.VISITS).objects());
      assertEquals(second.visits(), footprint.parts().get(Footprint.Part.VISIT).objects());
      assertEquals(second.labResults(), footprint.parts().get(Footprint.Part.LAB_RESULT).objects());
      assertEquals(1, footprint.parts().get(Footprint.Part.ROOT).objects());
      // Patient: 8 header + 8 id + 8 weight + 4 birthYear + 4 visits + 1 sex + 8 code = 41, to 48.
      assertEquals(48 + 16, footprint.parts().get(Footprint.Part.PATIENT).bytesPerObject());
    }
    heap.gc().collect(GarbageCollector.OLD);
    assertEquals(0, heap.stats().liveObjects(), "closing the cohort dropped its only root");
  }

  @Test
  void aSeedGivesTheSameCohort() {
    CohortSummary first;
    try (HeapCohort cohort = HeapCohort.admit(heap, 300, new Random(7))) {
      cohort.followUp(0.3);
      first = cohort.summarize();
    }
    try (HeapCohort cohort = HeapCohort.admit(heap, 300, new Random(7))) {
      cohort.followUp(0.3);
      assertEquals(first, cohort.summarize());
    }
  }

  @Test
  void diabeticPatientsHaveTheHigherHba1c() {
    try (HeapCohort cohort = HeapCohort.admit(heap, 3000, new Random(3))) {
      CohortSummary s = cohort.summarize();
      assertTrue(s.diabeticShare() > 0.05 && s.diabeticShare() < 0.2, s.toString());
      assertTrue(s.diabeticHba1c().mean() > Lab.DIABETIC_HBA1C, s.toString());
      assertTrue(s.otherHba1c().mean() < Lab.DIABETIC_HBA1C, s.toString());
    }
  }

  @Test
  void theJavaCopyHoldsTheSameObjectsAndIsMeasuredPartByPart() {
    try (HeapCohort cohort = HeapCohort.admit(heap, 2000, new Random(5))) {
      CohortSummary s = cohort.summarize();
      Footprint java = cohort.toJava().measureByDismantling();
      assertEquals(2000, java.parts().get(Footprint.Part.PATIENT).objects());
      assertEquals(2000, java.parts().get(Footprint.Part.CODE).objects());
      assertEquals(s.visits(), java.parts().get(Footprint.Part.VISIT).objects());
      assertEquals(s.labResults(), java.parts().get(Footprint.Part.LAB_RESULT).objects());
      // Measured, so not exact (the test JVM's full collections may leave some dead objects in
      // place); but a lab result (a header, an int, a double and a byte) takes 24 or 32 bytes in
      // every HotSpot layout, and there are thousands of them.
      double labResult = java.parts().get(Footprint.Part.LAB_RESULT).bytesPerObject();
      assertTrue(labResult > 16 && labResult < 40, java.toString());
    }
  }

  @Test
  void sharesOutsideZeroToOneAreRefused() {
    try (HeapCohort cohort = HeapCohort.admit(heap, 10, new Random(1))) {
      assertThrows(IllegalArgumentException.class, () -> cohort.turnOver(1.5));
      assertThrows(IllegalArgumentException.class, () -> cohort.followUp(-0.1));
    }
    assertThrows(IllegalArgumentException.class, () -> HeapCohort.admit(heap, 0, new Random(1)));
  }

  @Test
  void thePauseLogCountsMinorAndMajorCollectionsApart() {
    PauseLog pauses = new PauseLog();
    heap.gc().addCallback(pauses);
    try (HeapCohort cohort = HeapCohort.admit(heap, 1000, new Random(2))) {
      cohort.followUp(0.5);
      heap.gc().collect(GarbageCollector.OLD);
    }
    CollectionStats young = heap.gc().stats(GarbageCollector.YOUNG);
    CollectionStats old = heap.gc().stats(GarbageCollector.OLD);
    assertTrue(pauses.count(GarbageCollector.YOUNG) > 0);
    assertEquals(old.collections(), pauses.count(GarbageCollector.OLD));
    // The young counters count every collection, the major ones included.
    assertEquals(young.collections(), pauses.count(GarbageCollector.YOUNG) + old.collections());
    assertTrue(pauses.maxNanos(GarbageCollector.YOUNG) <= young.maxPauseNanos());
  }

  @Test
  void thePauseLogCountsACyclesPausesOnceEach() {
    PauseLog log = new PauseLog();
    int old = GarbageCollector.OLD;
    log.accept(new CollectionEvent(CollectionEvent.Phase.START, old, 0, 0, 0)); // a cycle
    log.accept(new CollectionEvent(CollectionEvent.Phase.PAUSE, old, 0, 0, 300));
    log.accept(new CollectionEvent(CollectionEvent.Phase.PAUSE, old, 0, 0, 500));
    log.accept(new CollectionEvent(CollectionEvent.Phase.STOP, old, 10, 100, 800));
    log.accept(new CollectionEvent(CollectionEvent.Phase.START, old, 0, 0, 0)); // a full collection
    log.accept(new CollectionEvent(CollectionEvent.Phase.STOP, old, 5, 50, 2000));
    assertEquals(2, log.count(old));
    assertEquals(3, log.pauses(old), "the cycle's total is not one more pause");
    assertEquals(2800, log.totalNanos(old));
    assertEquals(2000, log.maxNanos(old));
  }
}
