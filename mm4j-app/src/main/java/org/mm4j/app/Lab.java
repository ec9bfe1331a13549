package org.mm4j.app;

import java.util.Random;

/**
 * The eight laboratory values of a patient record, each with its slot in the record's array of labs
 * and the distribution the demo draws it from. Slots are explicit so that reordering the constants
 * cannot change the record layout.
 */
enum Lab {
  GLUCOSE(0, "glucose", "mg/dL", 100, 22),
  HBA1C(1, "HbA1c", "%", 5.6, 0.6),
  CREATININE(2, "creatinine", "mg/dL", 1.0, 0.3),
  SODIUM(3, "sodium", "mmol/L", 140, 3),
  POTASSIUM(4, "potassium", "mmol/L", 4.2, 0.45),
  HAEMOGLOBIN(5, "haemoglobin", "g/dL", 13.8, 1.6),
  LDL(6, "LDL cholesterol", "mg/dL", 115, 32),
  CRP(7, "CRP", "mg/L", 3.0, 2.5);

  static final int COUNT = values().length;

  /** The HbA1c at and above which diabetes is diagnosed. */
  static final double DIABETIC_HBA1C = 6.5;

  /** The index of this lab in {@link PatientRecord}'s labs, 0 to {@link #COUNT} - 1. */
  final int slot;

  final String label;
  final String unit;
  private final double mean;
  private final double sd;

  Lab(int slot, String label, String unit, double mean, double sd) {
    this.slot = slot;
    this.label = label;
    this.unit = unit;
    this.mean = mean;
    this.sd = sd;
  }

  /** A value from a normal distribution, kept above a tenth of the mean (no lab reads negative). */
  double draw(Random random) {
    return Math.max(mean / 10, mean + sd * random.nextGaussian());
  }
}
