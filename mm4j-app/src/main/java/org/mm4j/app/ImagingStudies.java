package org.mm4j.app;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.mm4j.alloc.LargeAllocator;

/**
 * Scans: a study is a few 2048 x 2048 planes of 16-bit pixels, 8 MiB each, taken from the large
 * allocator aligned to 2 MiB so that the OS can back them with transparent huge pages. A study stays
 * open, as on a viewing station, until the next one arrives; then its planes are freed and go back
 * to the OS at once.
 */
final class ImagingStudies {
  static final int SIDE = 2048;
  static final int PLANES = 4;
  static final long PLANE_BYTES = (long) SIDE * SIDE * Short.BYTES;
  /** Pixels at or above this are counted as contrast-enhanced tissue. */
  private static final int ENHANCED = 2000;

  private final LargeAllocator allocator;
  private final Random random;
  private MemorySegment[] open = new MemorySegment[0];
  private long studies;
  private long pixels;
  private long intensitySum;
  private long enhanced;

  ImagingStudies(LargeAllocator allocator, Random random) {
    this.allocator = allocator;
    this.random = random;
  }

  /** Loads and analyses the next study, then closes the one before it. */
  void next() {
    MemorySegment[] study = new MemorySegment[PLANES];
    for (int plane = 0; plane < PLANES; plane++) {
      study[plane] = allocator.allocate(PLANE_BYTES, LargeAllocator.MAX_ALIGNMENT);
      if (study[plane].address() % LargeAllocator.MAX_ALIGNMENT != 0) {
        throw new IllegalStateException(
            "image plane at 0x" + Long.toHexString(study[plane].address()) + " is not aligned");
      }
      fillPhantom(study[plane], plane, random.nextLong());
      analyse(study[plane]);
    }
    closeOpen();
    open = study;
    studies++;
  }

  void closeOpen() {
    for (MemorySegment plane : open) {
      allocator.free(plane);
    }
    open = new MemorySegment[0];
  }

  ImagingSummary summary() {
    return new ImagingSummary(
        studies,
        studies * PLANES,
        pixels == 0 ? 0 : (double) intensitySum / pixels,
        pixels == 0 ? 0 : (double) enhanced / pixels);
  }

  /**
   * A synthetic slice: a body, an organ that grows from slice to slice, and noise. The noise comes
   * from an inline linear congruential generator: a {@link Random} call per pixel would cost more
   * than the rest of the image.
   */
  private static void fillPhantom(MemorySegment plane, int slice, long seed) {
    int centre = SIDE / 2;
    int body = SIDE * 2 / 5 - 16 * slice;
    int organX = centre - SIDE / 6;
    int organ = SIDE / 10 + 24 * slice;
    long noise = seed;
    for (int y = 0; y < SIDE; y++) {
      int dy = y - centre;
      for (int x = 0; x < SIDE; x++) {
        int dx = x - centre;
        int ox = x - organX;
        int value = 100;
        value += dx * dx + dy * dy < body * body ? 900 : 0;
        value += ox * ox + dy * dy < organ * organ ? 1400 : 0;
        noise = noise * 6364136223846793005L + 1442695040888963407L;
        value += (int) (noise >>> 57); // 0..127
        plane.setAtIndex(JAVA_SHORT, (long) y * SIDE + x, (short) value);
      }
    }
  }

  private void analyse(MemorySegment plane) {
    long count = plane.byteSize() / Short.BYTES;
    long sum = 0;
    long bright = 0;
    for (long i = 0; i < count; i++) {
      int value = Short.toUnsignedInt(plane.getAtIndex(JAVA_SHORT, i));
      sum += value;
      bright += value >= ENHANCED ? 1 : 0;
    }
    pixels += count;
    intensitySum += sum;
    enhanced += bright;
  }
}
