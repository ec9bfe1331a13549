package org.mm4j.app;

import java.util.List;
import java.util.Random;

/**
 * The demo's mixed workload over {@link DemoMemory}. A round is five steps: two waves of shapes,
 * a ward turnover (a share of the patients discharged while new ones are admitted), the ward's lab
 * statistics, and an imaging study. The statistics must run on the thread that built the memory.
 *
 * <p>Every part draws from its own generator, all seeded from one seed, and each generator is used
 * by one thread only, so a seed gives the same results however the threads interleave.
 */
final class HealthcareWorkload {
  /** The share of the ward discharged (and replaced) each round. */
  static final double DISCHARGE_SHARE = 0.2;

  private final int patients;
  private final Ward ward;
  private final ShapeWaves shapes;
  private final ImagingStudies imaging;
  private final List<Rounds.Step> round;
  private WardSummary lastWardSummary;

  /**
   * @param patients patients in care; a rise of the shape waves makes as many polygons
   */
  HealthcareWorkload(DemoMemory memory, Lanes lanes, int patients, long seed) {
    Random seeds = new Random(seed);
    this.patients = patients;
    this.ward =
        new Ward(
            memory.patients,
            memory.scratch,
            lanes,
            new Random(seeds.nextLong()),
            new Random(seeds.nextLong()));
    this.shapes =
        new ShapeWaves(
            memory.shapes,
            memory.polygons,
            lanes,
            patients,
            new Random(seeds.nextLong()),
            new Random(seeds.nextLong()));
    this.imaging = new ImagingStudies(memory.images, new Random(seeds.nextLong()));
    this.round =
        List.of(
            new Rounds.Step("shape wave", shapes::wave),
            new Rounds.Step("shape wave", shapes::wave),
            new Rounds.Step("ward turnover", () -> ward.turnOver(DISCHARGE_SHARE)),
            new Rounds.Step("lab statistics", () -> lastWardSummary = ward.summarize()),
            new Rounds.Step("imaging study", imaging::next));
  }

  void admitCohort() {
    ward.admit(patients);
  }

  /** The steps of one round, in order. */
  List<Rounds.Step> round() {
    return round;
  }

  /** Frees everything the workload holds. */
  void releaseAll() {
    shapes.dropAll();
    ward.dischargeAll();
    imaging.closeOpen();
  }

  ShapeSummary shapeSummary() {
    return shapes.summary();
  }

  /** The ward statistics of the last round (taken before the final discharge). */
  WardSummary wardSummary() {
    if (lastWardSummary == null) {
      throw new IllegalStateException("no round has run");
    }
    return lastWardSummary;
  }

  ImagingSummary imagingSummary() {
    return imaging.summary();
  }
}
