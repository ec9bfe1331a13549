package org.mm4j.app;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.MemorySegment;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.mm4j.alloc.BumpArena;
import org.mm4j.alloc.SlabAllocator;

/**
 * The patients in care. Their records live in a slab that scrubs freed slots, so a discharged
 * patient's data does not linger in memory the allocator keeps. Patients are admitted on the
 * admissions lane while others are discharged on the discharges lane; the statistics run on the
 * calling thread, batch by batch, in scratch memory.
 */
final class Ward {
  /** Records per statistics batch: 4096 records x 9 columns x 8 bytes = 288 KiB of scratch. */
  private static final int BATCH = 4096;
  /** Age, then one column per lab. */
  private static final int COLUMNS = 1 + Lab.COUNT;
  /** Ages are taken on a fixed day, so that a seed always gives the same statistics. */
  private static final long CENSUS_DAY = LocalDate.of(2025, 1, 1).toEpochDay();

  private final SlabAllocator records;
  private final BumpArena scratch;
  private final Population beds;
  private final Admissions admissions;
  private final Random random;
  private long admitted;
  private long discharged;

  /**
   * @param admissionsRandom used on the admissions lane only, to make patients
   * @param random used on the calling thread, to pick who is discharged
   */
  Ward(
      SlabAllocator records, BumpArena scratch, Lanes lanes, Random admissionsRandom, Random random) {
    this.records = records;
    this.scratch = scratch;
    this.beds = new Population(lanes);
    this.admissions = new Admissions(records, admissionsRandom);
    this.random = random;
  }

  /** Admits {@code count} patients. */
  void admit(int count) {
    beds.turnOver(0, count, random, admissions, records::free);
    admitted += count;
  }

  /** Discharges {@code share} of the patients in care while as many new ones are admitted. */
  void turnOver(double share) {
    int count = (int) Math.round(beds.size() * share);
    beds.turnOver(count, count, random, admissions, records::free);
    admitted += count;
    discharged += count;
  }

  void dischargeAll() {
    discharged += beds.size();
    beds.retireAll(records::free);
  }

  /**
   * Statistics over everyone in care. Each batch gathers its records column by column into scratch
   * memory (so that each statistic streams through one column), is summarized, and is dropped with
   * one reset to the mark taken before it.
   */
  WardSummary summarize() {
    RunningMoments age = new RunningMoments();
    Map<Lab, RunningMoments> labs = new EnumMap<>(Lab.class);
    for (Lab lab : Lab.values()) {
      labs.put(lab, new RunningMoments());
    }
    long female = 0;
    long diabetic = 0;
    int inCare = beds.size();
    for (int start = 0; start < inCare; start += BATCH) {
      int size = Math.min(BATCH, inCare - start);
      try (BumpArena.Mark _ = scratch.mark()) {
        MemorySegment columns = scratch.allocate(JAVA_DOUBLE, (long) COLUMNS * size);
        for (int i = 0; i < size; i++) {
          MemorySegment record = beds.get(start + i);
          columns.setAtIndex(JAVA_DOUBLE, i, ageInYears(record));
          for (Lab lab : Lab.values()) {
            columns.setAtIndex(
                JAVA_DOUBLE, (long) (1 + lab.slot) * size + i, PatientRecord.lab(record, lab));
          }
          female += PatientRecord.sex(record) == 'F' ? 1 : 0;
          diabetic += PatientRecord.lab(record, Lab.HBA1C) >= Lab.DIABETIC_HBA1C ? 1 : 0;
        }
        age.addColumn(columns, size);
        for (Lab lab : Lab.values()) {
          labs.get(lab).addColumn(column(columns, 1 + lab.slot, size), size);
        }
      } // closing the mark releases the batch's columns
    }
    Map<Lab, WardSummary.Statistic> labStatistics = new EnumMap<>(Lab.class);
    labs.forEach((lab, moments) -> labStatistics.put(lab, WardSummary.Statistic.of(moments)));
    return new WardSummary(
        inCare,
        admitted,
        discharged,
        WardSummary.Statistic.of(age),
        inCare == 0 ? 0 : (double) female / inCare,
        inCare == 0 ? 0 : (double) diabetic / inCare,
        labStatistics);
  }

  private static MemorySegment column(MemorySegment columns, int index, int size) {
    return columns.asSlice((long) index * size * Double.BYTES, (long) size * Double.BYTES);
  }

  private static double ageInYears(MemorySegment record) {
    return (CENSUS_DAY - PatientRecord.birthDay(record)) / 365.2425;
  }
}
