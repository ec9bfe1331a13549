package org.mm4j.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the managed heap's benchmarks share: average time per operation, one fork per benchmark and
 * parameters, mm4j's checks off (the default), native access for the FFM downcalls. The benchmarks use
 * the demo's cohort ({@link org.mm4j.app.HeapCohort}): {@link HeapAllocBenchmark allocation},
 * {@link HeapFieldBenchmark field access} and {@link HeapCollectBenchmark collections}; its footprint is
 * {@link CohortFootprint}'s.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public abstract class HeapBenchmark {}
