package org.mm4j.app;

import com.google.errorprone.annotations.MustBeClosed;
import java.lang.foreign.MemorySegment;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Random;
import org.mm4j.heap.ByteField;
import org.mm4j.heap.BytesField;
import org.mm4j.heap.DoubleField;
import org.mm4j.heap.GlobalHandle;
import org.mm4j.heap.HandleScope;
import org.mm4j.heap.Heap;
import org.mm4j.heap.HeapStats;
import org.mm4j.heap.IntField;
import org.mm4j.heap.Kind;
import org.mm4j.heap.LongField;
import org.mm4j.heap.RefField;
import org.mm4j.heap.ShortField;
import org.mm4j.heap.Type;

/**
 * A synthetic patient cohort in a managed {@link Heap}: patients, each with an array of visits,
 * each visit with an array of lab results. The patients sit in the beds of one root array, held by
 * a {@link GlobalHandle}; everything else is reachable only through references inside objects.
 *
 * <p>The cohort churns as a hospital's does: {@link #turnOver} discharges random patients (their
 * beds get new patients, so the old ones' whole graphs become garbage), {@link #followUp} adds a
 * visit to random patients (a longer visits array stored into an old patient: the write barrier's
 * case), and {@link #summarize} reads every object to compute what a clinician would ask for.
 *
 * <p>A cohort is used by one thread, which must have no handle scope open that the cohort's methods
 * would outlive (each method opens and closes its own). Its random draws come from one generator,
 * so a seed gives the same cohort and the same summaries.
 *
 * <p>The types are public for the benchmarks, which allocate the same logical objects.
 */
public final class HeapCohort implements AutoCloseable {
  public static final Type PATIENT =
      Type.struct("Patient")
          .longField("id")
          .intField("birthYear")
          .byteField("sex")
          .doubleField("weight")
          .bytesField("code", Diagnoses.MAX_LENGTH)
          .refField("visits")
          .build();
  public static final LongField ID = PATIENT.longField("id");
  public static final IntField BIRTH_YEAR = PATIENT.intField("birthYear");
  public static final ByteField SEX = PATIENT.byteField("sex");
  public static final DoubleField WEIGHT = PATIENT.doubleField("weight");

  /** The ICD-10 code of the main diagnosis, ASCII, zero padded. */
  public static final BytesField CODE = PATIENT.bytesField("code");

  /** A {@link #VISITS} array, oldest visit first. */
  public static final RefField PATIENT_VISITS = PATIENT.refField("visits");

  public static final Type VISIT =
      Type.struct("Visit").intField("day").shortField("ward").refField("labs").build();

  /** Days since 1970-01-01. */
  public static final IntField DAY = VISIT.intField("day");

  public static final ShortField WARD = VISIT.shortField("ward");

  /** A {@link #LAB_RESULTS} array. */
  public static final RefField VISIT_LABS = VISIT.refField("labs");

  public static final Type LAB_RESULT =
      Type.struct("LabResult").intField("code").doubleField("value").byteField("flag").build();

  /** The LOINC code's number, without its check digit. */
  public static final IntField LAB_CODE = LAB_RESULT.intField("code");

  public static final DoubleField VALUE = LAB_RESULT.doubleField("value");

  /** {@code 'H'}, {@code 'L'} or {@code 'N'}: above, below or within two standard deviations. */
  public static final ByteField FLAG = LAB_RESULT.byteField("flag");

  public static final Type VISITS = Type.arrayOf("Visits", Kind.REF);
  public static final Type LAB_RESULTS = Type.arrayOf("LabResults", Kind.REF);

  /** The root: one element a bed, each a patient. */
  public static final Type BEDS = Type.arrayOf("Beds", Kind.REF);

  private static final int FIRST_BIRTH_YEAR = 1930;
  private static final int LAST_BIRTH_YEAR = 2020;
  private static final int FIRST_VISIT_DAY = (int) LocalDate.of(2022, 1, 1).toEpochDay();
  private static final int WARDS = 40;

  /** A new patient has 1 to this many visits. */
  private static final int MAX_FIRST_VISITS = 5;

  /** A visit has 2 to 6 lab results, of distinct labs. */
  private static final int MIN_LABS = 2;

  private static final int MAX_LABS = 6;

  /** Days between two visits of a patient: 1 to this. */
  private static final int MAX_VISIT_GAP = 120;

  /** Patients handled between a handle scope's opening and closing: see {@link #inBatches}. */
  private static final int PATIENTS_PER_SCOPE = 64;

  /** Each diagnosis as the code field holds it, zero padded. */
  private static final byte[][] CODES = new byte[Diagnoses.count()][];

  static {
    Arrays.setAll(CODES, i -> Diagnoses.ascii(i, Diagnoses.MAX_LENGTH));
  }

  private static final byte[] TYPE_2_DIABETES =
      Diagnoses.ascii(Diagnoses.TYPE_2_DIABETES, Diagnoses.MAX_LENGTH);

  private final Heap heap;
  private final GlobalHandle beds;
  private final int size;
  private final Random random;
  private final Lab[] labOrder = Lab.values();
  private final byte[] code = new byte[Diagnoses.MAX_LENGTH];

  /** Bed numbers, shuffled in part to pick distinct beds. */
  private final int[] bedNumbers;

  private long nextId = 1;
  private long discharged;
  private long visitsAdded;

  /**
   * Admits {@code size} patients into as many beds. The cohort must be closed (which drops its
   * root) before the heap is.
   */
  @MustBeClosed
  @SuppressWarnings("MustBeClosedChecker") // the cohort owns its root: close() closes it
  public static HeapCohort admit(Heap heap, int size, Random random) {
    if (size < 1) {
      throw new IllegalArgumentException("a cohort needs at least one patient: " + size);
    }
    try (HandleScope _ = heap.openHandleScope()) {
      return new HeapCohort(heap, heap.newGlobal(heap.allocateArray(BEDS, size)), size, random);
    }
  }

  private HeapCohort(Heap heap, GlobalHandle beds, int size, Random random) {
    this.heap = heap;
    this.beds = beds;
    this.size = size;
    this.random = random;
    this.bedNumbers = new int[size];
    Arrays.setAll(bedNumbers, i -> i);
    try {
      inBatches(size, (bedsArray, i) -> admitInto(bedsArray, i));
    } catch (RuntimeException | Error e) {
      beds.close();
      throw e;
    }
  }

  /** The number of beds, all of them taken. */
  public int size() {
    return size;
  }

  /** The patient in {@code bed}, as a handle in the calling thread's open handle scope. */
  public long patient(int bed) {
    return heap.getRef(bedsArray(), bed);
  }

  /** Patients discharged since the cohort was admitted. */
  public long discharged() {
    return discharged;
  }

  /** Visits added to patients in care by {@link #followUp}. */
  public long visitsAdded() {
    return visitsAdded;
  }

  /**
   * Discharges {@code share} of the patients, chosen at random, and admits as many new ones into
   * their beds.
   */
  public void turnOver(double share) {
    int count = countOf(share);
    pickBeds(count);
    inBatches(count, (bedsArray, i) -> admitInto(bedsArray, bedNumbers[i]));
    discharged += count;
  }

  /**
   * Adds a visit, with its lab results, to {@code share} of the patients, chosen at random: each
   * gets a visits array one longer, which is stored into the patient — most often an old object
   * receiving a young one, which the write barrier remembers.
   */
  public void followUp(double share) {
    int count = countOf(share);
    pickBeds(count);
    inBatches(count, (bedsArray, i) -> addVisit(heap.getRef(bedsArray, bedNumbers[i])));
    visitsAdded += count;
  }

  private void addVisit(long patient) {
    long visits = heap.get(patient, PATIENT_VISITS);
    int length = heap.length(visits);
    long longer = heap.allocateArray(VISITS, length + 1);
    for (int v = 0; v < length; v++) {
      heap.setRef(longer, v, heap.getRef(visits, v));
    }
    int day = heap.get(heap.getRef(visits, length - 1), DAY) + 1 + random.nextInt(MAX_VISIT_GAP);
    heap.setRef(longer, length, newVisit(day, isDiabetic(patient)));
    heap.set(patient, PATIENT_VISITS, longer);
    heap.set(patient, WEIGHT, heap.get(patient, WEIGHT) + random.nextGaussian());
  }

  /**
   * Reads the whole cohort: every patient, visit and lab result. The HbA1c statistics take each
   * patient's latest HbA1c result, if any.
   */
  CohortSummary summarize() {
    Reading reading = new Reading(size);
    inBatches(size, (bedsArray, bed) -> reading.add(heap.getRef(bedsArray, bed)));
    RunningMoments diabeticHba1c = new RunningMoments();
    diabeticHba1c.addColumn(MemorySegment.ofArray(reading.diabeticHba1c), reading.diabeticCount);
    RunningMoments otherHba1c = new RunningMoments();
    otherHba1c.addColumn(MemorySegment.ofArray(reading.otherHba1c), reading.otherCount);
    return new CohortSummary(
        size,
        reading.visits,
        reading.results,
        nextId - 1,
        discharged,
        visitsAdded,
        (double) reading.diabetic / size,
        WardSummary.Statistic.of(diabeticHba1c),
        diabeticHba1c.count(),
        WardSummary.Statistic.of(otherHba1c),
        reading.results == 0 ? 0 : (double) reading.flagged / reading.results);
  }

  /** The counts and latest HbA1c values of one reading of the cohort, patient by patient. */
  private final class Reading {
    long visits;
    long results;
    long flagged;
    int diabetic;
    final double[] diabeticHba1c;
    int diabeticCount;
    final double[] otherHba1c;
    int otherCount;

    Reading(int patients) {
      diabeticHba1c = new double[patients];
      otherHba1c = new double[patients];
    }

    void add(long patient) {
      boolean isDiabetic = isDiabetic(patient);
      diabetic += isDiabetic ? 1 : 0;
      long patientVisits = heap.get(patient, PATIENT_VISITS);
      int visitCount = heap.length(patientVisits);
      visits += visitCount;
      double latestHba1c = Double.NaN;
      for (int v = visitCount - 1; v >= 0; v--) { // latest first
        long labs = heap.get(heap.getRef(patientVisits, v), VISIT_LABS);
        int labCount = heap.length(labs);
        results += labCount;
        for (int l = 0; l < labCount; l++) {
          long result = heap.getRef(labs, l);
          flagged += heap.get(result, FLAG) == Lab.NORMAL ? 0 : 1;
          if (Double.isNaN(latestHba1c) && heap.get(result, LAB_CODE) == Lab.HBA1C.loinc) {
            latestHba1c = heap.get(result, VALUE);
          }
        }
      }
      if (Double.isNaN(latestHba1c)) {
        return;
      }
      if (isDiabetic) {
        diabeticHba1c[diabeticCount++] = latestHba1c;
      } else {
        otherHba1c[otherCount++] = latestHba1c;
      }
    }
  }

  /**
   * The live objects of each part of the cohort in {@code stats} (taken after a full collection, so
   * that only reachable objects count), with their handle-table entries.
   */
  public static Footprint footprint(HeapStats stats) {
    Footprint.Builder footprint = Footprint.builder();
    add(footprint, stats, Footprint.Part.PATIENT, PATIENT);
    add(footprint, stats, Footprint.Part.VISITS, VISITS);
    add(footprint, stats, Footprint.Part.VISIT, VISIT);
    add(footprint, stats, Footprint.Part.LAB_RESULTS, LAB_RESULTS);
    add(footprint, stats, Footprint.Part.LAB_RESULT, LAB_RESULT);
    add(footprint, stats, Footprint.Part.ROOT, BEDS);
    return footprint.build();
  }

  private static void add(
      Footprint.Builder footprint, HeapStats stats, Footprint.Part part, Type type) {
    HeapStats.TypeStats t = stats.byType().get(type);
    if (t != null) {
      footprint.add(part, t.objects(), Math.round(t.bytesPerObject() * t.objects()));
    }
  }

  /** The same patients, visits and lab results as ordinary Java objects. */
  public JavaCohort toJava() {
    JavaCohort.Patient[] patients = new JavaCohort.Patient[size];
    inBatches(size, (bedsArray, bed) -> patients[bed] = javaPatient(heap.getRef(bedsArray, bed)));
    return new JavaCohort(patients);
  }

  private JavaCohort.Patient javaPatient(long patient) {
    byte[] patientCode = new byte[Diagnoses.MAX_LENGTH];
    heap.get(patient, CODE, patientCode);
    long visits = heap.get(patient, PATIENT_VISITS);
    JavaCohort.Visit[] javaVisits = new JavaCohort.Visit[heap.length(visits)];
    for (int v = 0; v < javaVisits.length; v++) {
      long visit = heap.getRef(visits, v);
      long labs = heap.get(visit, VISIT_LABS);
      JavaCohort.LabResult[] javaLabs = new JavaCohort.LabResult[heap.length(labs)];
      for (int l = 0; l < javaLabs.length; l++) {
        long result = heap.getRef(labs, l);
        javaLabs[l] =
            new JavaCohort.LabResult(
                heap.get(result, LAB_CODE), heap.get(result, VALUE), heap.get(result, FLAG));
      }
      javaVisits[v] = new JavaCohort.Visit(heap.get(visit, DAY), heap.get(visit, WARD), javaLabs);
    }
    return new JavaCohort.Patient(
        heap.get(patient, ID),
        heap.get(patient, BIRTH_YEAR),
        heap.get(patient, SEX),
        heap.get(patient, WEIGHT),
        patientCode,
        javaVisits);
  }

  /** Drops the cohort's root: at the next major collection, everything in it is garbage. */
  @Override
  public void close() {
    beds.close();
  }

  // ------------------------------------------------------------------ making patients

  /** A new patient in {@code bed}; whoever was there before is discharged. */
  private void admitInto(long bedsArray, int bed) {
    int diagnosis = Diagnoses.draw(random);
    boolean diabetic = Diagnoses.isDiabetes(diagnosis);
    long patient = heap.allocate(PATIENT);
    heap.set(patient, ID, nextId++);
    heap.set(
        patient,
        BIRTH_YEAR,
        FIRST_BIRTH_YEAR + random.nextInt(LAST_BIRTH_YEAR - FIRST_BIRTH_YEAR + 1));
    heap.set(patient, SEX, random.nextBoolean() ? (byte) 'F' : (byte) 'M');
    heap.set(patient, WEIGHT, Math.max(3, 75 + 15 * random.nextGaussian()));
    heap.set(patient, CODE, CODES[diagnosis]);
    int visitCount = 1 + random.nextInt(MAX_FIRST_VISITS);
    long visits = heap.allocateArray(VISITS, visitCount);
    int day = FIRST_VISIT_DAY + random.nextInt(365);
    for (int v = 0; v < visitCount; v++) {
      heap.setRef(visits, v, newVisit(day, diabetic));
      day += 1 + random.nextInt(MAX_VISIT_GAP);
    }
    heap.set(patient, PATIENT_VISITS, visits);
    heap.setRef(bedsArray, bed, patient);
  }

  /**
   * A visit on {@code day} with 2 to 6 lab results of distinct labs; a handle in the open scope.
   */
  private long newVisit(int day, boolean diabetic) {
    long visit = heap.allocate(VISIT);
    heap.set(visit, DAY, day);
    heap.set(visit, WARD, (short) (1 + random.nextInt(WARDS)));
    int labCount = MIN_LABS + random.nextInt(MAX_LABS - MIN_LABS + 1);
    long labs = heap.allocateArray(LAB_RESULTS, labCount);
    for (int l = 0; l < labCount; l++) {
      // A partial shuffle: the first labCount entries of labOrder become distinct random labs.
      int pick = l + random.nextInt(labOrder.length - l);
      Lab lab = labOrder[pick];
      labOrder[pick] = labOrder[l];
      labOrder[l] = lab;
      double value = lab.draw(random, diabetic);
      long result = heap.allocate(LAB_RESULT);
      heap.set(result, LAB_CODE, lab.loinc);
      heap.set(result, VALUE, value);
      heap.set(result, FLAG, lab.flag(value));
      heap.setRef(labs, l, result);
    }
    heap.set(visit, VISIT_LABS, labs);
    return visit;
  }

  private boolean isDiabetic(long patient) {
    heap.get(patient, CODE, code);
    return Arrays.equals(code, TYPE_2_DIABETES);
  }

  /** What a batch does with each of its indices. */
  @FunctionalInterface
  private interface BatchStep {
    void run(long bedsArray, int index);
  }

  /**
   * Runs {@code step} for the indices 0 to {@code count} - 1, {@link #PATIENTS_PER_SCOPE} of them
   * in each handle scope: a scope's handles are roots until it closes, so it is closed often, but
   * opening one a patient would cost more than the patient's work.
   */
  private void inBatches(int count, BatchStep step) {
    for (int start = 0; start < count; start += PATIENTS_PER_SCOPE) {
      try (HandleScope _ = heap.openHandleScope()) {
        long bedsArray = bedsArray();
        for (int i = start; i < Math.min(count, start + PATIENTS_PER_SCOPE); i++) {
          step.run(bedsArray, i);
        }
      }
    }
  }

  /** The root array, as a handle in the caller's open scope. */
  private long bedsArray() {
    return beds.get();
  }

  private int countOf(double share) {
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException("share must be in [0, 1]: " + share);
    }
    return (int) Math.round(size * share);
  }

  /** Puts {@code count} distinct random bed numbers first in {@link #bedNumbers}. */
  private void pickBeds(int count) {
    for (int i = 0; i < count; i++) {
      int pick = i + random.nextInt(size - i);
      int bed = bedNumbers[pick];
      bedNumbers[pick] = bedNumbers[i];
      bedNumbers[i] = bed;
    }
  }
}
