package org.mm4j.app;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.function.Supplier;
import org.mm4j.alloc.SizeClassAllocator;

/**
 * Draws random regions of interest on a 2048 x 2048 scan: star-shaped polygons of 1 to 15 vertices
 * (one vertex: a landmark point). Used only on the admissions lane, so its random generator and id
 * counter need no lock.
 */
final class PolygonSource implements Supplier<MemorySegment> {
  private static final double SCAN_SIDE = 2048;
  private static final int LABELS = 8;

  /**
   * The directions of the vertices of an n-gon, {@code COS[n][i]} and {@code SIN[n][i]}: looked up,
   * because two trigonometric calls per vertex would cost more than the allocation being shown.
   */
  private static final double[][] COS = new double[PolygonRecord.MAX_VERTICES + 1][];

  private static final double[][] SIN = new double[PolygonRecord.MAX_VERTICES + 1][];

  static {
    for (int n = 1; n <= PolygonRecord.MAX_VERTICES; n++) {
      COS[n] = new double[n];
      SIN[n] = new double[n];
      for (int i = 0; i < n; i++) {
        COS[n][i] = Math.cos(2 * Math.PI * i / n);
        SIN[n][i] = Math.sin(2 * Math.PI * i / n);
      }
    }
  }

  private final SizeClassAllocator allocator;
  private final Random random;
  private long nextId = 1;

  PolygonSource(SizeClassAllocator allocator, Random random) {
    this.allocator = allocator;
    this.random = random;
  }

  @Override
  public MemorySegment get() {
    int vertices = 1 + random.nextInt(PolygonRecord.MAX_VERTICES);
    MemorySegment polygon =
        allocator.allocate(PolygonRecord.byteSize(vertices), PolygonRecord.HEADER.byteAlignment());
    PolygonRecord.writeHeader(polygon, nextId++, vertices, random.nextInt(LABELS));
    double cx = random.nextDouble() * SCAN_SIDE;
    double cy = random.nextDouble() * SCAN_SIDE;
    double radius = 4 + random.nextDouble() * 60;
    for (int i = 0; i < vertices; i++) {
      double r = radius * (0.7 + 0.6 * random.nextDouble());
      PolygonRecord.writeVertex(polygon, i, cx + r * COS[vertices][i], cy + r * SIN[vertices][i]);
    }
    return polygon;
  }
}
