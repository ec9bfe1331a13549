package org.mm4j.app;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import org.mm4j.alloc.ObjectPool;
import org.mm4j.alloc.SizeClassAllocator;

/**
 * Regions of interest drawn on scans, made and dropped in waves through the size-class allocator:
 * a rise makes a crest of new polygons while a quarter of the old ones go, an ebb drops most of
 * them. So the live count swings, pages fill and empty, and every free is a cross-thread one.
 *
 * <p>Each polygon is measured, through a pooled on-heap {@link Polygon}, just before it is freed;
 * and after each rise a viewer draws a view that borrows many polygons from the pool at once, more
 * than the pool keeps idle, so the pool both recycles and drops.
 */
final class ShapeWaves {
  /** Polygons one view borrows at once: more than the pool's idle capacity of 1024. */
  static final int VIEW_POLYGONS = 1500;

  private final SizeClassAllocator allocator;
  private final ObjectPool<Polygon> polygons;
  private final Population live;
  private final PolygonSource source;
  private final Random random;
  private final int crest;
  private long created;
  private long views;
  private long viewedVertices;
  // Written on the discharges lane only; read here after the lane's work was awaited.
  private long measured;
  private double measuredArea;

  /**
   * @param crest polygons made by each rise
   * @param sourceRandom used on the admissions lane only, to draw polygons
   * @param random used on the calling thread, to pick what goes and what is viewed
   */
  ShapeWaves(
      SizeClassAllocator allocator,
      ObjectPool<Polygon> polygons,
      Lanes lanes,
      int crest,
      Random sourceRandom,
      Random random) {
    this.allocator = allocator;
    this.polygons = polygons;
    this.live = new Population(lanes);
    this.source = new PolygonSource(allocator, sourceRandom);
    this.random = random;
    this.crest = crest;
  }

  /** One rise, a view, and one ebb. */
  void wave() {
    turnOver(live.size() / 4, crest);
    view();
    turnOver(live.size() * 3 / 4, crest / 10);
  }

  void dropAll() {
    live.retireAll(this::measureAndFree);
  }

  ShapeSummary summary() {
    return new ShapeSummary(created, live.size(), measured, measuredArea, views, viewedVertices);
  }

  private void turnOver(int leaving, int arriving) {
    live.turnOver(leaving, arriving, random, source, this::measureAndFree);
    created += arriving;
  }

  /** On the discharges lane: the polygon's last use, then its free (a remote one). */
  private void measureAndFree(MemorySegment polygon) {
    Polygon p = polygons.acquire();
    measuredArea += p.load(polygon).area();
    polygons.release(p);
    measured++;
    allocator.free(polygon);
  }

  /** Draws random live polygons, holding every one until the view is complete. */
  private void view() {
    int count = Math.min(VIEW_POLYGONS, live.size());
    Polygon[] borrowed = new Polygon[count];
    for (int i = 0; i < count; i++) {
      borrowed[i] = polygons.acquire().load(live.get(random.nextInt(live.size())));
      viewedVertices += borrowed[i].vertices();
    }
    Arrays.stream(borrowed).forEach(polygons::release);
    views++;
  }
}
