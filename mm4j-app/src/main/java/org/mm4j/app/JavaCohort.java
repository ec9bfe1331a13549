package org.mm4j.app;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.function.ToLongFunction;

/**
 * A cohort as ordinary Java objects — the classes a Java programmer would write for the same data,
 * with arrays of references — and the measurement of the memory they take on the Java heap.
 *
 * <p>Nothing is estimated: {@link #measureByDismantling()} reads the used Java heap after a {@link
 * System#gc()}, drops one kind of object from the whole cohort, and reads it again; the difference
 * is what that kind took, headers, padding and alignment included, as this JVM lays objects out.
 */
public final class JavaCohort {

  /** A patient: {@code id}, birth year, sex, weight, an 8-byte ICD-10 code, and the visits. */
  public static final class Patient {
    public long id;
    public int birthYear;
    public byte sex;
    public double weight;
    public byte[] code;
    public Visit[] visits;

    public Patient(long id, int birthYear, byte sex, double weight, byte[] code, Visit[] visits) {
      this.id = id;
      this.birthYear = birthYear;
      this.sex = sex;
      this.weight = weight;
      this.code = code;
      this.visits = visits;
    }
  }

  /** A visit: day (since 1970-01-01), ward, and its lab results. */
  public static final class Visit {
    public int day;
    public short ward;
    public LabResult[] labs;

    public Visit(int day, short ward, LabResult[] labs) {
      this.day = day;
      this.ward = ward;
      this.labs = labs;
    }
  }

  /** A lab result: LOINC code, value and flag. */
  public static final class LabResult {
    public int code;
    public double value;
    public byte flag;

    public LabResult(int code, double value, byte flag) {
      this.code = code;
      this.value = value;
      this.flag = flag;
    }
  }

  private Patient[] patients;

  JavaCohort(Patient[] patients) {
    this.patients = patients;
  }

  /** The patients in bed order: the cohort's own array, which {@link #measureByDismantling} empties. */
  public Patient[] patients() {
    return patients;
  }

  /**
   * Measures what each kind of object takes by dropping the kinds one after another, lab results
   * first and the root array last, and reading the used heap after a {@link System#gc()} before and
   * after each drop. Leaves the cohort empty. About a dozen full collections of the Java heap: slow
   * for a large cohort, and meaningless where {@code System.gc()} does not collect.
   */
  public Footprint measureByDismantling() {
    long patientCount = patients.length;
    long visitCount = count(p -> p.visits.length);
    long resultCount = count(p -> Arrays.stream(p.visits).mapToLong(v -> v.labs.length).sum());
    Footprint.Builder footprint = Footprint.builder();
    // Each drop is a method of its own, so that no local variable of this frame (such as the array
    // a for-each loop copies) keeps what it dropped reachable.
    long used = settledUsedAfterGc();
    used = measureDrop(footprint, Footprint.Part.LAB_RESULT, resultCount, used, this::dropLabResults);
    used = measureDrop(footprint, Footprint.Part.LAB_RESULTS, visitCount, used, this::dropLabArrays);
    used = measureDrop(footprint, Footprint.Part.VISIT, visitCount, used, this::dropVisits);
    used = measureDrop(footprint, Footprint.Part.VISITS, patientCount, used, this::dropVisitArrays);
    used = measureDrop(footprint, Footprint.Part.CODE, patientCount, used, this::dropCodes);
    used = measureDrop(footprint, Footprint.Part.PATIENT, patientCount, used, this::dropPatients);
    measureDrop(footprint, Footprint.Part.ROOT, 1, used, () -> patients = null);
    return footprint.build();
  }

  private long count(ToLongFunction<Patient> perPatient) {
    return Arrays.stream(patients).mapToLong(perPatient).sum();
  }

  /** Runs {@code drop} and adds what it freed as {@code part}; returns the used heap after it. */
  private long measureDrop(
      Footprint.Builder footprint, Footprint.Part part, long objects, long before, Runnable drop) {
    drop.run();
    long after = usedAfterGc();
    footprint.add(part, objects, before - after);
    return after;
  }

  private void dropLabResults() {
    for (Patient p : patients) {
      for (Visit v : p.visits) {
        Arrays.fill(v.labs, null);
      }
    }
  }

  private void dropLabArrays() {
    for (Patient p : patients) {
      for (Visit v : p.visits) {
        v.labs = null;
      }
    }
  }

  private void dropVisits() {
    for (Patient p : patients) {
      Arrays.fill(p.visits, null);
    }
  }

  private void dropVisitArrays() {
    for (Patient p : patients) {
      p.visits = null;
    }
  }

  private void dropCodes() {
    for (Patient p : patients) {
      p.code = null;
    }
  }

  private void dropPatients() {
    Arrays.fill(patients, null);
  }

  /**
   * The used heap once the readings agree: the first ones still change by some KiB while the
   * management beans and the collector settle, which would be charged to the first kind dropped.
   */
  private long settledUsedAfterGc() {
    long used = usedAfterGc();
    for (int i = 0; i < 4; i++) {
      long again = usedAfterGc();
      if (again == used) {
        break;
      }
      used = again;
    }
    return used;
  }

  private long usedAfterGc() {
    try {
      System.gc();
      MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
      return memory.getHeapMemoryUsage().getUsed();
    } finally {
      Reference.reachabilityFence(this); // what is left of the cohort stays in the reading
    }
  }
}
