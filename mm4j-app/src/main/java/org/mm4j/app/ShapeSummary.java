package org.mm4j.app;

/**
 * What the shape waves did.
 *
 * @param created polygons made
 * @param live polygons alive now
 * @param measured polygons measured and freed
 * @param measuredArea their total area, in square pixels
 * @param views views drawn
 * @param viewedVertices vertices drawn by those views
 */
record ShapeSummary(
    long created, int live, long measured, double measuredArea, long views, long viewedVertices) {}
