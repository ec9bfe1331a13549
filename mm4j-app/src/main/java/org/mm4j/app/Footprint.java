package org.mm4j.app;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The memory of a cohort's parts, as one side measured it: objects and their bytes per part.
 *
 * @param parts the parts measured; a part a side does not have (mm4j keeps the code inside the
 *     patient) is absent
 */
public record Footprint(Map<Part, Usage> parts) {

  /** The kinds of object a cohort is made of. */
  public enum Part {
    PATIENT("Patient"),
    /** Java only: mm4j keeps the 8-byte code inside the patient. */
    CODE("code (byte[8])"),
    VISITS("Visits (array)"),
    VISIT("Visit"),
    LAB_RESULTS("LabResults (array)"),
    LAB_RESULT("LabResult"),
    /** The array that holds the patients. */
    ROOT("patients (root array)");

    private final String label;

    Part(String label) {
      this.label = label;
    }

    /** The name a report shows. */
    public String label() {
      return label;
    }
  }

  /**
   * Objects of one part and their bytes.
   *
   * @param objects how many objects
   * @param bytes all their bytes
   */
  public record Usage(long objects, long bytes) {
    public double bytesPerObject() {
      return objects == 0 ? 0 : (double) bytes / objects;
    }
  }

  public Footprint {
    Map<Part, Usage> copy = new EnumMap<>(Part.class);
    copy.putAll(parts);
    parts = Collections.unmodifiableMap(copy);
  }

  /** The bytes of every part together. */
  public long totalBytes() {
    return parts.values().stream().mapToLong(Usage::bytes).sum();
  }

  /** The objects of every part together. */
  public long totalObjects() {
    return parts.values().stream().mapToLong(Usage::objects).sum();
  }

  static Builder builder() {
    return new Builder();
  }

  /** Collects the parts one by one. */
  static final class Builder {
    private final Map<Part, Usage> parts = new EnumMap<>(Part.class);

    Builder add(Part part, long objects, long bytes) {
      parts.put(part, new Usage(objects, bytes));
      return this;
    }

    Footprint build() {
      return new Footprint(parts);
    }
  }
}
