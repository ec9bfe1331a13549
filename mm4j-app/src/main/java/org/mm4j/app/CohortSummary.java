package org.mm4j.app;

/**
 * What a reading of the whole heap cohort found.
 *
 * @param patients patients in care
 * @param visits their visits
 * @param labResults their visits' lab results
 * @param admitted patients admitted since the start
 * @param discharged patients discharged since the start
 * @param visitsAdded visits added to patients in care
 * @param diabeticShare the share with type 2 diabetes (E11.9) as the main diagnosis
 * @param diabeticHba1c the latest HbA1c of each diabetic patient who has one
 * @param diabeticWithHba1c how many diabetic patients have an HbA1c result
 * @param otherHba1c the latest HbA1c of each other patient who has one
 * @param flaggedShare the share of lab results flagged high or low
 */
record CohortSummary(
    int patients,
    long visits,
    long labResults,
    long admitted,
    long discharged,
    long visitsAdded,
    double diabeticShare,
    WardSummary.Statistic diabeticHba1c,
    long diabeticWithHba1c,
    WardSummary.Statistic otherHba1c,
    double flaggedShare) {}
