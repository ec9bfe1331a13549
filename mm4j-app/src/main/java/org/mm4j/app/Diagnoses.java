package org.mm4j.app;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * The main diagnoses the demo's patients are admitted with, as ICD-10 codes of at most 8 ASCII
 * characters; the first is twice as common as the rest.
 */
final class Diagnoses {
  static final String TYPE_2_DIABETES = "E11.9";

  private static final String[] CODES = {
    "I10", "I10", TYPE_2_DIABETES, "J45.909", "N18.3", "I25.10", "E78.5", "K21.9", "M54.50", "F32.A"
  };

  /** The longest code, in ASCII bytes. */
  static final int MAX_LENGTH = 8;

  private Diagnoses() {}

  /** How many codes {@link #draw} chooses from (a code listed twice counts twice). */
  static int count() {
    return CODES.length;
  }

  /** The index of a code drawn at random. */
  static int draw(Random random) {
    return random.nextInt(CODES.length);
  }

  static boolean isDiabetes(int index) {
    return CODES[index].equals(TYPE_2_DIABETES);
  }

  /** The code at {@code index} in ASCII, zero padded to {@code length} bytes. */
  static byte[] ascii(int index, int length) {
    return ascii(CODES[index], length);
  }

  /** {@code code} in ASCII, zero padded to {@code length} bytes. */
  static byte[] ascii(String code, int length) {
    byte[] ascii = code.getBytes(StandardCharsets.US_ASCII);
    if (ascii.length > length) {
      throw new IllegalArgumentException("diagnosis code longer than " + length + ": " + code);
    }
    return Arrays.copyOf(ascii, length);
  }
}
