package org.mm4j.app;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * The off-heap layout of a region of interest drawn on a scan: a polygon contour, or a single point
 * for a landmark. A 16-byte header and n vertices of two doubles, 16 + 16n bytes; with 1 to 15
 * vertices that is 32 to 256 bytes, spread over many size classes.
 *
 * <pre>
 *   offset  0  id           long
 *           8  vertexCount  int
 *          12  label        int     what the region outlines (an organ, a lesion)
 *          16  vertices     vertexCount x (x double, y double), in pixels
 * </pre>
 *
 * The header's var handles come from its layout; the vertices, whose number varies, are read at
 * computed offsets.
 */
final class PolygonRecord {
  static final int MAX_VERTICES = 15;

  static final StructLayout HEADER =
      MemoryLayout.structLayout(
          JAVA_LONG.withName("id"), JAVA_INT.withName("vertexCount"), JAVA_INT.withName("label"));

  private static final long VERTEX_BYTES = 2 * JAVA_DOUBLE.byteSize();
  private static final VarHandle ID = HEADER.varHandle(groupElement("id"));
  private static final VarHandle VERTEX_COUNT = HEADER.varHandle(groupElement("vertexCount"));
  private static final VarHandle LABEL = HEADER.varHandle(groupElement("label"));

  private PolygonRecord() {}

  /** The bytes of a polygon with {@code vertices} vertices. */
  static long byteSize(int vertices) {
    return HEADER.byteSize() + vertices * VERTEX_BYTES;
  }

  static void writeHeader(MemorySegment polygon, long id, int vertexCount, int label) {
    ID.set(polygon, 0L, id);
    VERTEX_COUNT.set(polygon, 0L, vertexCount);
    LABEL.set(polygon, 0L, label);
  }

  static void writeVertex(MemorySegment polygon, int index, double x, double y) {
    long offset = HEADER.byteSize() + index * VERTEX_BYTES;
    polygon.set(JAVA_DOUBLE, offset, x);
    polygon.set(JAVA_DOUBLE, offset + JAVA_DOUBLE.byteSize(), y);
  }

  static int vertexCount(MemorySegment polygon) {
    return (int) VERTEX_COUNT.get(polygon, 0L);
  }

  static double x(MemorySegment polygon, int index) {
    return polygon.get(JAVA_DOUBLE, HEADER.byteSize() + index * VERTEX_BYTES);
  }

  static double y(MemorySegment polygon, int index) {
    return polygon.get(
        JAVA_DOUBLE, HEADER.byteSize() + index * VERTEX_BYTES + JAVA_DOUBLE.byteSize());
  }
}
