package org.mm4j.app;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.util.stream.Collectors.toSet;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PatientRecordTest {

  @Test
  void aRecordIs96BytesLaidOutAsTheDiagramSaysWithOneSlotPerLab() {
    assertEquals(96, PatientRecord.BYTES);
    assertEquals(16, PatientRecord.LAYOUT.byteOffset(groupElement("labs")));
    assertEquals(80, PatientRecord.LAYOUT.byteOffset(groupElement("code")));
    Set<Integer> slots = Arrays.stream(Lab.values()).map(lab -> lab.slot).collect(toSet());
    assertEquals(IntStream.range(0, Lab.COUNT).boxed().collect(toSet()), slots);
  }

  @Test
  void fieldsReadBackAsWritten() {
    double[] labs = new double[Lab.COUNT];
    for (Lab lab : Lab.values()) {
      labs[lab.slot] = 10 + lab.slot;
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment record = arena.allocate(PatientRecord.LAYOUT);
      PatientRecord.write(record, 42, 7300, (byte) 'F', labs, PatientRecord.encodeCode("E11.9"));
      assertEquals(42, PatientRecord.id(record));
      assertEquals(7300, PatientRecord.birthDay(record));
      assertEquals('F', PatientRecord.sex(record));
      assertEquals(11.0, PatientRecord.lab(record, Lab.HBA1C));
      assertEquals(17.0, PatientRecord.lab(record, Lab.CRP));
      assertEquals("E11.9", PatientRecord.code(record));
    }
  }
}
