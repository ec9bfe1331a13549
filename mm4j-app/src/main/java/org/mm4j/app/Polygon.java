package org.mm4j.app;

import java.lang.foreign.MemorySegment;

/**
 * An on-heap copy of an off-heap polygon, for measuring and drawing. Made often and dropped at
 * once, so it is recycled through an {@link org.mm4j.alloc.ObjectPool}, whose reset hook is {@link
 * #clear()}.
 */
final class Polygon {
  private final double[] xs = new double[PolygonRecord.MAX_VERTICES];
  private final double[] ys = new double[PolygonRecord.MAX_VERTICES];
  private int vertices;

  /** Copies the vertices of {@code polygon}, laid out as a {@link PolygonRecord}. */
  Polygon load(MemorySegment polygon) {
    vertices = PolygonRecord.vertexCount(polygon);
    for (int i = 0; i < vertices; i++) {
      xs[i] = PolygonRecord.x(polygon, i);
      ys[i] = PolygonRecord.y(polygon, i);
    }
    return this;
  }

  /** Forgets the polygon (the reset hook): a recycled polygon starts with no vertices. */
  void clear() {
    vertices = 0;
  }

  int vertices() {
    return vertices;
  }

  /** The enclosed area (shoelace formula); 0 for points and lines. */
  double area() {
    double twice = 0;
    for (int i = 0, j = vertices - 1; i < vertices; j = i++) {
      twice += xs[j] * ys[i] - xs[i] * ys[j];
    }
    return vertices < 3 ? 0 : Math.abs(twice) / 2;
  }
}
