package org.mm4j.app;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * What decides the size of a Java object in this JVM: the collector, compressed oops and compact
 * object headers, read from the running JVM (HotSpot's diagnostic bean), not from the command line.
 *
 * @param collector the collector's name ({@code G1}, {@code Parallel}, ...)
 * @param compressedOops whether references are 4 bytes
 * @param compactObjectHeaders whether object headers are 8 bytes (JEP 519) rather than 12
 * @param compactObjectHeadersSet whether the command line set compact object headers
 * @param markSweepDeadRatio the share of dead objects, in percent, that a full collection may leave
 *     in place in a region rather than compact it away; they still count as used heap. 0 makes the
 *     used heap after {@code System.gc()} exact; -1 where the JVM has no such option
 */
public record JvmFacts(
    String collector,
    boolean compressedOops,
    boolean compactObjectHeaders,
    boolean compactObjectHeadersSet,
    int markSweepDeadRatio) {

  /** The facts of this JVM; an option it does not have reads as off. */
  public static JvmFacts current() {
    HotSpotDiagnosticMXBean hotSpot =
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    VMOption compact = option(hotSpot, "UseCompactObjectHeaders");
    VMOption oops = option(hotSpot, "UseCompressedOops");
    VMOption deadRatio = option(hotSpot, "MarkSweepDeadRatio");
    return new JvmFacts(
        collector(ManagementFactory.getGarbageCollectorMXBeans()),
        oops != null && Boolean.parseBoolean(oops.getValue()),
        compact != null && Boolean.parseBoolean(compact.getValue()),
        compact != null && compact.getOrigin() == VMOption.Origin.VM_CREATION,
        deadRatio == null ? -1 : Integer.parseInt(deadRatio.getValue()));
  }

  private static VMOption option(HotSpotDiagnosticMXBean hotSpot, String name) {
    if (hotSpot == null) {
      return null;
    }
    try {
      return hotSpot.getVMOption(name);
    } catch (IllegalArgumentException noSuchOption) {
      return null;
    }
  }

  /** {@code G1} from the beans "G1 Young Generation", "G1 Concurrent GC", ... */
  private static String collector(List<GarbageCollectorMXBean> beans) {
    if (beans.isEmpty()) {
      return "unknown collector";
    }
    String name = beans.getFirst().getName();
    return switch (name) {
      case "PS Scavenge", "PS MarkSweep" -> "Parallel";
      case "Copy", "MarkSweepCompact" -> "Serial";
      default -> name.indexOf(' ') < 0 ? name : name.substring(0, name.indexOf(' '));
    };
  }

  /**
   * {@code G1, compressed oops on, compact object headers off (the default), full collections
   * compact everything (-XX:MarkSweepDeadRatio=0)}, as a sentence part.
   */
  public String describe() {
    String headersFrom =
        !compactObjectHeadersSet
            ? "the default"
            : compactObjectHeaders
                ? "-XX:+UseCompactObjectHeaders"
                : "-XX:-UseCompactObjectHeaders";
    String fullCollections =
        markSweepDeadRatio == 0
            ? "full collections compact everything (-XX:MarkSweepDeadRatio=0)"
            : markSweepDeadRatio > 0
                ? "full collections may leave up to "
                    + markSweepDeadRatio
                    + " % of a region dead, so a reading may be off by some KiB"
                    + " (-XX:MarkSweepDeadRatio=0 makes it exact)"
                : "no MarkSweepDeadRatio option";
    return String.format(
        Locale.ROOT,
        "%s, compressed oops %s, compact object headers %s (%s), %s",
        collector,
        compressedOops ? "on" : "off",
        compactObjectHeaders ? "on" : "off",
        headersFrom,
        fullCollections);
  }
}
