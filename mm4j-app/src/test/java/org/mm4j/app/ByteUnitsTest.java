package org.mm4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ByteUnitsTest {

  @Test
  void bytesUseBinaryUnitsWithThreeSignificantDigits() {
    assertEquals("0 B", ByteUnits.bytes(0));
    assertEquals("1023 B", ByteUnits.bytes(1023));
    assertEquals("1.00 KiB", ByteUnits.bytes(1024));
    assertEquals("1.50 KiB", ByteUnits.bytes(1536));
    assertEquals("18.3 MiB", ByteUnits.bytes(19_200_000));
    assertEquals("256 MiB", ByteUnits.bytes(256L << 20));
    assertEquals("2.00 GiB", ByteUnits.bytes(2L << 30));
    assertEquals("-4.00 KiB", ByteUnits.bytes(-4096));
  }

  @Test
  void countsAreGroupedAndSharesArePercent() {
    assertEquals("1,234,567", ByteUnits.count(1_234_567));
    assertEquals("12.5 %", ByteUnits.percent(0.125));
  }
}
