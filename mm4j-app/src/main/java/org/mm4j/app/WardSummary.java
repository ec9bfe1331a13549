package org.mm4j.app;

import java.util.Map;

/**
 * What the ward statistics found over the patients in care.
 *
 * @param inCare patients in care
 * @param admitted patients admitted since the start
 * @param discharged patients discharged since the start
 * @param age age in years on the census day
 * @param femaleShare the share of women
 * @param diabeticShare the share with an HbA1c at or above {@link Lab#DIABETIC_HBA1C}
 * @param labs every lab value's statistic
 */
record WardSummary(
    int inCare,
    long admitted,
    long discharged,
    Statistic age,
    double femaleShare,
    double diabeticShare,
    Map<Lab, Statistic> labs) {

  WardSummary {
    labs = Map.copyOf(labs);
  }

  /** The mean and standard deviation of one value. */
  record Statistic(double mean, double standardDeviation) {
    static Statistic of(RunningMoments moments) {
      return new Statistic(moments.mean(), moments.standardDeviation());
    }
  }
}
