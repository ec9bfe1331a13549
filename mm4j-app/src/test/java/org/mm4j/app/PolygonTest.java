package org.mm4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class PolygonTest {

  @Test
  void aLoadedSquareHasItsAreaAndAClearedPolygonHasNone() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment square = arena.allocate(PolygonRecord.byteSize(4), 8);
      assertEquals(80, square.byteSize());
      PolygonRecord.writeHeader(square, 1, 4, 0);
      PolygonRecord.writeVertex(square, 0, 0, 0);
      PolygonRecord.writeVertex(square, 1, 3, 0);
      PolygonRecord.writeVertex(square, 2, 3, 3);
      PolygonRecord.writeVertex(square, 3, 0, 3);
      Polygon polygon = new Polygon().load(square);
      assertEquals(4, polygon.vertices());
      assertEquals(9.0, polygon.area());
      polygon.clear();
      assertEquals(0.0, polygon.area());
    }
  }

  @Test
  void pointsAndLinesEncloseNoArea() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment line = arena.allocate(PolygonRecord.byteSize(2), 8);
      PolygonRecord.writeHeader(line, 2, 2, 0);
      PolygonRecord.writeVertex(line, 0, 0, 0);
      PolygonRecord.writeVertex(line, 1, 5, 5);
      assertEquals(0.0, new Polygon().load(line).area());
    }
  }
}
