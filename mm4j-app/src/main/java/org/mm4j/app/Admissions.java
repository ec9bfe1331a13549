package org.mm4j.app;

import java.lang.foreign.MemorySegment;
import java.time.LocalDate;
import java.util.Random;
import java.util.function.Supplier;
import org.mm4j.alloc.SlabAllocator;

/**
 * Admits synthetic patients: each {@link #get()} allocates a record in the slab and writes it. Used
 * only on the admissions lane, so its random generator and id counter need no lock.
 */
final class Admissions implements Supplier<MemorySegment> {
  private static final String TYPE_2_DIABETES = "E11.9";
  /** Main diagnoses, the first one twice as common as the rest. */
  private static final String[] DIAGNOSES = {
    "I10", "I10", TYPE_2_DIABETES, "J45.909", "N18.3", "I25.10", "E78.5", "K21.9", "M54.50", "F32.A"
  };

  private static final byte[][] CODES = new byte[DIAGNOSES.length][];

  static {
    for (int i = 0; i < DIAGNOSES.length; i++) {
      CODES[i] = PatientRecord.encodeCode(DIAGNOSES[i]);
    }
  }

  private static final int FIRST_BIRTH_DAY = (int) LocalDate.of(1930, 1, 1).toEpochDay();
  private static final int LAST_BIRTH_DAY = (int) LocalDate.of(2020, 12, 31).toEpochDay();

  private final SlabAllocator records;
  private final Random random;
  private final double[] labs = new double[Lab.COUNT];
  private long nextId = 1;

  Admissions(SlabAllocator records, Random random) {
    this.records = records;
    this.random = random;
  }

  @Override
  public MemorySegment get() {
    MemorySegment record = records.allocate();
    int diagnosis = random.nextInt(DIAGNOSES.length);
    for (Lab lab : Lab.values()) {
      labs[lab.slot] = lab.draw(random);
    }
    if (DIAGNOSES[diagnosis].equals(TYPE_2_DIABETES)) {
      labs[Lab.HBA1C.slot] += 1.8; // so the ward's diabetic share follows its diagnoses
      labs[Lab.GLUCOSE.slot] += 45;
    }
    int birthDay = FIRST_BIRTH_DAY + random.nextInt(LAST_BIRTH_DAY - FIRST_BIRTH_DAY + 1);
    byte sex = random.nextBoolean() ? (byte) 'F' : (byte) 'M';
    PatientRecord.write(record, nextId++, birthDay, sex, labs, CODES[diagnosis]);
    return record;
  }
}
