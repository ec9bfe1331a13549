package org.mm4j.app;

/**
 * What the imaging analysis found over every study.
 *
 * @param studies studies analysed
 * @param planes image planes analysed
 * @param meanIntensity the mean pixel value
 * @param enhancedShare the share of pixels showing contrast-enhanced tissue
 */
record ImagingSummary(long studies, long planes, double meanIntensity, double enhancedShare) {}
