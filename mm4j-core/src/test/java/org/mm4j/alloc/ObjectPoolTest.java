package org.mm4j.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ObjectPoolTest {

    /** A shape-like object with state the reset hook clears. */
    static final class Point {
        double x;
        double y;
    }

    @Test
    void releasedObjectsAreResetAndReused() {
        AtomicInteger made = new AtomicInteger();
        try (ObjectPool<Point> pool = ObjectPool.builder(() -> {
            made.incrementAndGet();
            return new Point();
        }).reset(p -> { p.x = 0; p.y = 0; }).build()) {
            Point p = pool.acquire();
            p.x = 3;
            pool.release(p);
            Point q = pool.acquire();
            assertSame(p, q, "the released object is recycled");
            assertEquals(0.0, q.x, "the reset hook ran");
            assertEquals(1, made.get());
            ObjectPool.PoolStats stats = pool.stats();
            assertEquals(2, stats.acquired());
            assertEquals(1, stats.created());
            assertEquals(1, stats.released());
            assertEquals(0.5, stats.hitRate());
            assertEquals(1, stats.outstanding());
            pool.release(q);
        }
    }

    @Test
    void idleObjectsAreBounded() {
        try (ObjectPool<Point> pool = ObjectPool.builder(Point::new).maxIdle(10).threadCacheSize(4).build()) {
            List<Point> out = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                out.add(pool.acquire());
            }
            for (Point p : out) {
                pool.release(p);
            }
            ObjectPool.PoolStats stats = pool.stats();
            assertEquals(10, stats.idleShared());
            assertTrue(stats.dropped() >= 100 - 10 - 4, "dropped " + stats.dropped());
            assertEquals(100, stats.released());
        }
    }

    @Test
    void doubleReleaseIsRefusedInDebugMode() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("mm4j.debug"), "debug mode only");
        try (ObjectPool<Point> pool = ObjectPool.builder(Point::new).build()) {
            Point p = pool.acquire();
            pool.release(p);
            assertThrows(IllegalArgumentException.class, () -> pool.release(p));
            assertThrows(IllegalArgumentException.class, () -> pool.release(new Point()));
        }
    }

    @Test
    void closedPoolRefusesUse() {
        ObjectPool<Point> pool = ObjectPool.builder(Point::new).build();
        Point p = pool.acquire();
        pool.close();
        assertThrows(IllegalStateException.class, pool::acquire);
        assertThrows(IllegalStateException.class, () -> pool.release(p));
        assertThrows(NullPointerException.class, () -> ObjectPool.builder(null));
    }

    @Test
    void objectsMoveBetweenThreadsWithoutLossOrDuplication() throws Exception {
        try (ObjectPool<Point> pool = ObjectPool.builder(Point::new).maxIdle(256).threadCacheSize(16).build()) {
            ConcurrentLinkedQueue<Point> handoff = new ConcurrentLinkedQueue<>();
            Thread producer = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 50_000; i++) {
                    handoff.add(pool.acquire());
                }
            });
            Thread consumer = Thread.ofPlatform().start(() -> {
                int released = 0;
                while (released < 50_000) {
                    Point p = handoff.poll();
                    if (p != null) {
                        pool.release(p);
                        released++;
                    }
                }
            });
            producer.join();
            consumer.join();
            ObjectPool.PoolStats stats = pool.stats();
            assertEquals(50_000, stats.acquired());
            assertEquals(50_000, stats.released());
            assertEquals(0, stats.outstanding());
            assertTrue(stats.created() < 50_000, "objects released by the consumer were reused");
            // the idle objects are distinct
            List<Point> all = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                all.add(pool.acquire());
            }
            assertEquals(all.size(), all.stream().distinct().count());
            for (int i = 1; i < all.size(); i++) {
                assertNotSame(all.get(i - 1), all.get(i));
            }
        }
    }
}
