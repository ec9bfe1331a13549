package org.mm4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mm4j bench gc} as a user runs it: its options' errors, and a whole run on a tiny live set with
 * mm4j and G1, each in its own JVM. Nothing about speed is asserted: only that every figure is there and
 * sane.
 */
class GcBenchCommandTest {

  @Test
  void badOptionsAreUsageErrorsThatSayWhy() {
    assertUsageError("--threads must be 1 or 2", "--threads", "3");
    assertUsageError("unknown system jvm-serial", "--systems", "mm4j,jvm-serial");
    assertUsageError("--live-bytes must be at least", "--live-bytes", "1m");
    assertUsageError("not a size: 'lots'", "--live-bytes", "lots");
    assertUsageError("not a duration: 'soon'", "--duration", "soon");
    assertUsageError("--duration must be positive", "--duration", "0s");
    assertUsageError("--rate must be 0 or positive", "--rate", "-5");
    assertUsageError("--heap-factor must be at least 1", "--heap-factor", "0.5");
  }

  private static void assertUsageError(String message, String... options) {
    String[] args = new String[options.length + 2];
    args[0] = "bench";
    args[1] = "gc";
    System.arraycopy(options, 0, args, 2, options.length);
    CommandRun run = CommandRun.of(args);
    assertEquals(2, run.exitCode(), run.transcript());
    assertTrue(run.err().contains(message), message + " in " + run.err());
  }

  @Test
  void helpNamesTheOptions() {
    CommandRun run = CommandRun.of("bench", "gc", "--help");
    assertEquals(0, run.exitCode(), run.transcript());
    for (String option :
        List.of("--quick", "--live-bytes", "--threads", "--duration", "--systems", "--json=FILE", "--rate")) {
      assertTrue(run.out().contains(option), option + " in " + run.out());
    }
  }

  @Test
  void aTinyRunOfMm4jAndG1ReportsEveryFigure(@TempDir Path directory) throws IOException {
    // Unpaced, so that both collect within a second and a half however slow the machine.
    CommandRun run =
        runGc(directory, "--live-bytes", "5m", "--threads", "2", "--rate", "0", "--warmup", "500ms",
            "--duration", "1500ms", "--systems", "mm4j,jvm-g1");
    assertEquals(0, run.exitCode(), run.transcript());
    String out = run.out();
    assertTrue(out.matches("(?s).*\n +mm4j +jvm-g1\n.*"), "a column per system: " + out);
    for (String row : List.of("pause p99.9", "stall p99.9", "op response p99", "throughput",
        "collector CPU share", "RSS peak")) {
      assertTrue(out.contains("\n" + row + " "), row + " in " + out);
    }
    assertTrue(out.contains("max pause ≤ 1 ms"), "the targets: " + out);
    assertTrue(run.err().contains("mm4j: done:") && run.err().contains("census agrees"), run.err());

    List<?> systems = systems(directory);
    assertEquals(2, systems.size());
    for (Object o : systems) {
      Map<?, ?> s = assertInstanceOf(Map.class, o);
      String what = s.toString();
      assertEquals("ok", s.get("status"), what);
      for (String key : List.of("system", "live_bytes", "objects", "pause_p50_us", "pause_p99_us",
          "pause_p999_us", "pause_max_us", "stall_p999_us", "ops_per_s", "gc_cpu_share", "rss_bytes")) {
        assertTrue(s.containsKey(key), key + " in " + what);
      }
      assertTrue(number(s, "ops") > 0 && number(s, "ops_per_s") > 0, what);
      assertTrue(number(s, "pause_count") > 0, "collections in the measured part: " + what);
      assertTrue(number(s, "pause_max_us") >= number(s, "pause_p50_us") && number(s, "pause_p50_us") > 0, what);
      assertTrue(number(s, "stall_count") > 0 && number(s, "stall_max_us") >= number(s, "stall_p999_us"), what);
      assertTrue(number(s, "live_bytes") > 3e6 && number(s, "live_bytes") < 8e6, "about 5 MiB: " + what);
      double pages = number(s, "census_records") / (13 * 1024);
      assertEquals(number(s, "census_records") + pages + 1, number(s, "objects"), "records, pages, directory");
      double share = number(s, "gc_cpu_share");
      assertTrue(share >= 0 && share <= 1, what);
      assertTrue(number(s, "rss_bytes") >= number(s, "rss_end_bytes") && number(s, "rss_end_bytes") > 0, what);
      assertEquals(2, number(s, "threads"), what);
    }
    assertEquals("mm4j", ((Map<?, ?>) systems.get(0)).get("system"));
    assertEquals("jvm-g1", ((Map<?, ?>) systems.get(1)).get("system"));
    for (String file : List.of("mm4j.hlog", "jvm-g1.hlog", "jvm-g1-safepoints.log", "mm4j.err")) {
      assertTrue(Files.exists(directory.resolve("logs").resolve(file)), file);
    }
  }

  @Test
  void aSystemThatFailsIsReportedWithWhyAndFailsTheCommand(@TempDir Path directory) throws IOException {
    // mm4j's heap limited to its live set: it cannot even finish the build.
    CommandRun run =
        runGc(directory, "--live-bytes", "60m", "--heap-factor", "1", "--threads", "1", "--warmup", "0s",
            "--duration", "1s", "--systems", "mm4j");
    assertEquals(1, run.exitCode(), run.transcript());
    assertTrue(run.out().contains("Failed (logs in "), run.out());
    assertTrue(run.out().matches("(?s).*\n  mm4j +exit 1: failed: .*MemoryLimitExceededException.*"), run.out());
    Map<?, ?> mm4j = assertInstanceOf(Map.class, systems(directory).getFirst());
    assertEquals("failed", mm4j.get("status"), mm4j.toString());
    assertTrue(String.valueOf(mm4j.get("reason")).contains("MemoryLimitExceededException"), mm4j.toString());
  }

  /**
   * Runs {@code mm4j bench gc} with {@code options}, beside whatever else the machine runs, its logs
   * in {@code directory}/logs and its JSON in {@code directory}/gc.json.
   */
  private static CommandRun runGc(Path directory, String... options) {
    List<String> args = new java.util.ArrayList<>(List.of("bench", "gc"));
    args.addAll(List.of(options));
    args.addAll(List.of("--share-machine", "--log-dir", directory.resolve("logs").toString(), "--json",
        directory.resolve("gc.json").toString()));
    return CommandRun.of(args.toArray(String[]::new));
  }

  /** The systems in the JSON file that {@link #runGc} wrote. */
  private static List<?> systems(Path directory) throws IOException {
    return assertInstanceOf(List.class, org.mm4j.app.bench.JsonAccess.parse(
        Files.readString(directory.resolve("gc.json"), StandardCharsets.UTF_8)));
  }

  private static double number(Map<?, ?> object, String key) {
    return ((Number) object.get(key)).doubleValue();
  }
}
