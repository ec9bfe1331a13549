package org.mm4j.app;

import java.util.Random;

/**
 * The eight laboratory values of a patient record, each with its slot in the record's array of
 * labs, its LOINC code and the distribution the demo draws it from. Slots are explicit so that
 * reordering the constants cannot change the record layout.
 */
enum Lab {
  GLUCOSE(0, 2345, "glucose", "mg/dL", 100, 22, 45),
  HBA1C(1, 4548, "HbA1c", "%", 5.6, 0.6, 1.8),
  CREATININE(2, 2160, "creatinine", "mg/dL", 1.0, 0.3, 0),
  SODIUM(3, 2951, "sodium", "mmol/L", 140, 3, 0),
  POTASSIUM(4, 2823, "potassium", "mmol/L", 4.2, 0.45, 0),
  HAEMOGLOBIN(5, 718, "haemoglobin", "g/dL", 13.8, 1.6, 0),
  LDL(6, 13457, "LDL cholesterol", "mg/dL", 115, 32, 0),
  CRP(7, 1988, "CRP", "mg/L", 3.0, 2.5, 0);

  static final int COUNT = values().length;

  /** The HbA1c at and above which diabetes is diagnosed. */
  static final double DIABETIC_HBA1C = 6.5;

  /** A lab result's flag: within two standard deviations of the mean. */
  static final byte NORMAL = 'N';

  /** A lab result's flag: more than two standard deviations above the mean. */
  static final byte HIGH = 'H';

  /** A lab result's flag: more than two standard deviations below the mean. */
  static final byte LOW = 'L';

  /** The index of this lab in {@link PatientRecord}'s labs, 0 to {@link #COUNT} - 1. */
  final int slot;

  /** The LOINC code's number without its check digit: 4548 for HbA1c (4548-4). */
  final int loinc;

  final String label;
  final String unit;
  private final double mean;
  private final double sd;

  /** How much higher the value runs in a patient with type 2 diabetes. */
  private final double diabeticShift;

  Lab(
      int slot,
      int loinc,
      String label,
      String unit,
      double mean,
      double sd,
      double diabeticShift) {
    this.slot = slot;
    this.loinc = loinc;
    this.label = label;
    this.unit = unit;
    this.mean = mean;
    this.sd = sd;
    this.diabeticShift = diabeticShift;
  }

  /** A value from a normal distribution, kept above a tenth of the mean (no lab reads negative). */
  double draw(Random random) {
    return Math.max(mean / 10, mean + sd * random.nextGaussian());
  }

  /** A value for a patient with or without type 2 diabetes, whose HbA1c and glucose run higher. */
  double draw(Random random, boolean diabetic) {
    return draw(random) + (diabetic ? diabeticShift : 0);
  }

  /** {@link #HIGH}, {@link #LOW} or {@link #NORMAL}: where {@code value} lies against the mean. */
  byte flag(double value) {
    return value > mean + 2 * sd ? HIGH : value < mean - 2 * sd ? LOW : NORMAL;
  }
}
