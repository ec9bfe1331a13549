package org.mm4j.app;

import java.lang.foreign.MemorySegment;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;
import org.mm4j.alloc.SlabAllocator;

/**
 * Admits synthetic patients: each {@link #get()} allocates a record in the slab and writes it. Used
 * only on the admissions lane, so its random generator and id counter need no lock.
 */
final class Admissions implements Supplier<MemorySegment> {
  private static final byte[][] CODES = new byte[Diagnoses.count()][];

  static {
    Arrays.setAll(CODES, i -> Diagnoses.ascii(i, PatientRecord.CODE_BYTES));
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
    int diagnosis = Diagnoses.draw(random);
    // Diabetic patients' HbA1c and glucose run higher, so the ward's diabetic share follows its
    // diagnoses.
    boolean diabetic = Diagnoses.isDiabetes(diagnosis);
    for (Lab lab : Lab.values()) {
      labs[lab.slot] = lab.draw(random, diabetic);
    }
    int birthDay = FIRST_BIRTH_DAY + random.nextInt(LAST_BIRTH_DAY - FIRST_BIRTH_DAY + 1);
    byte sex = random.nextBoolean() ? (byte) 'F' : (byte) 'M';
    PatientRecord.write(record, nextId++, birthDay, sex, labs, CODES[diagnosis]);
    return record;
  }
}
