package org.mm4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class RunningMomentsTest {

  @Test
  void batchesMergeToTheMomentsOfAllValues() {
    double[] values = {2, 4, 4, 4, 5, 5, 7, 9}; // mean 5, population sd 2
    RunningMoments moments = new RunningMoments();
    moments.addColumn(MemorySegment.ofArray(new double[] {2, 4, 4}), 3);
    moments.addColumn(MemorySegment.ofArray(new double[] {4, 5, 5, 7, 9, 99}), 5); // 99: past size
    assertEquals(values.length, moments.count());
    assertEquals(5.0, moments.mean(), 1e-12);
    assertEquals(2.0, moments.standardDeviation(), 1e-12);
  }
}
