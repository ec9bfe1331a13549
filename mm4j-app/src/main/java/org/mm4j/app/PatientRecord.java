package org.mm4j.app;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.PathElement.sequenceElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * The off-heap layout of a patient record, 96 bytes, and its accessors.
 *
 * <pre>
 *   offset  0  id         long
 *           8  birthDay   int     days since 1970-01-01
 *          12  sex        byte    'F' or 'M'
 *          13  (padding)  3 bytes so that the doubles are 8-byte aligned
 *          16  labs       8 doubles, in {@link Lab} order
 *          80  code       16 bytes: the ICD-10 code of the main diagnosis, ASCII, zero padded
 * </pre>
 *
 * The var handles are derived from the layout once; each takes the record and a base offset of 0.
 */
final class PatientRecord {
  static final int CODE_BYTES = 16;

  static final StructLayout LAYOUT =
      MemoryLayout.structLayout(
          JAVA_LONG.withName("id"),
          JAVA_INT.withName("birthDay"),
          JAVA_BYTE.withName("sex"),
          MemoryLayout.paddingLayout(3),
          MemoryLayout.sequenceLayout(Lab.COUNT, JAVA_DOUBLE).withName("labs"),
          MemoryLayout.sequenceLayout(CODE_BYTES, JAVA_BYTE).withName("code"));

  static final long BYTES = LAYOUT.byteSize();

  private static final VarHandle ID = LAYOUT.varHandle(groupElement("id"));
  private static final VarHandle BIRTH_DAY = LAYOUT.varHandle(groupElement("birthDay"));
  private static final VarHandle SEX = LAYOUT.varHandle(groupElement("sex"));
  private static final VarHandle LAB = LAYOUT.varHandle(groupElement("labs"), sequenceElement());
  private static final long CODE_OFFSET = LAYOUT.byteOffset(groupElement("code"));

  private PatientRecord() {}

  /**
   * Writes every field. {@code labs} is indexed by {@link Lab#slot}; {@code code} must be exactly
   * {@link #CODE_BYTES} long, zero padded (see {@link #encodeCode}).
   */
  static void write(
      MemorySegment record, long id, int birthDay, byte sex, double[] labs, byte[] code) {
    ID.set(record, 0L, id);
    BIRTH_DAY.set(record, 0L, birthDay);
    SEX.set(record, 0L, sex);
    for (int i = 0; i < Lab.COUNT; i++) {
      LAB.set(record, 0L, (long) i, labs[i]);
    }
    MemorySegment.copy(code, 0, record, JAVA_BYTE, CODE_OFFSET, CODE_BYTES);
  }

  static long id(MemorySegment record) {
    return (long) ID.get(record, 0L);
  }

  static int birthDay(MemorySegment record) {
    return (int) BIRTH_DAY.get(record, 0L);
  }

  static byte sex(MemorySegment record) {
    return (byte) SEX.get(record, 0L);
  }

  static double lab(MemorySegment record, Lab lab) {
    return (double) LAB.get(record, 0L, (long) lab.slot);
  }

  static String code(MemorySegment record) {
    byte[] code = new byte[CODE_BYTES];
    MemorySegment.copy(record, JAVA_BYTE, CODE_OFFSET, code, 0, CODE_BYTES);
    int length = 0;
    while (length < CODE_BYTES && code[length] != 0) {
      length++;
    }
    return new String(code, 0, length, StandardCharsets.US_ASCII);
  }

  /** {@code code} as the zero-padded bytes of the code field. */
  static byte[] encodeCode(String code) {
    return Diagnoses.ascii(code, CODE_BYTES);
  }
}
