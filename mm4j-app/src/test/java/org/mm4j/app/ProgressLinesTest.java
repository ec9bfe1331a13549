package org.mm4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressLinesTest {

  @Test
  void printsALineForEachTenthReachedAndNoMore() {
    StringWriter text = new StringWriter();
    ProgressLines progress = new ProgressLines(new PrintWriter(text, true));
    for (int step = 0; step <= 1000; step++) {
      progress.update(step / 1000.0, "step " + step);
    }
    progress.finish();
    List<String> lines = text.toString().lines().toList();
    assertEquals(10, lines.size(), text.toString());
    assertEquals("progress  10 %  step 100", lines.getFirst());
    assertEquals("progress  30 %  step 300", lines.get(2)); // 0.3 is not reported late
    assertEquals("progress 100 %  step 1000", lines.getLast());
  }

  @Test
  void skipsTenthsPassedInOneStepAndFinishesAtOneHundred() {
    StringWriter text = new StringWriter();
    ProgressLines progress = new ProgressLines(new PrintWriter(text, true));
    progress.update(0.05, "a");
    progress.update(0.55, "b");
    progress.finish();
    assertEquals(List.of("progress  50 %  b", "progress 100 %  done"), text.toString().lines().toList());
  }
}
