package org.mm4j.app;

import java.util.Locale;

/** Byte counts and counts for people to read: binary units (KiB, MiB, GiB), digit grouping. */
final class ByteUnits {
  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

  private ByteUnits() {}

  /** {@code 512 B}, {@code 1.50 KiB}, {@code 18.3 MiB}, {@code 256 MiB}: three significant digits. */
  static String bytes(long bytes) {
    if (bytes < 0) {
      return "-" + bytes(Math.negateExact(bytes));
    }
    if (bytes < 1024) {
      return bytes + " B";
    }
    int unit = (63 - Long.numberOfLeadingZeros(bytes)) / 10;
    double value = bytes / (double) (1L << (10 * unit));
    String pattern = value < 10 ? "%.2f %s" : value < 100 ? "%.1f %s" : "%.0f %s";
    return String.format(Locale.ROOT, pattern, value, UNITS[unit]);
  }

  /** {@code 1,234,567}. */
  static String count(long count) {
    return String.format(Locale.ROOT, "%,d", count);
  }

  /** {@code 12.5 %} for 0.125. */
  static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.1f %%", 100 * fraction);
  }
}
