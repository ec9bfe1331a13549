package org.mm4j.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.util.concurrent.TimeUnit;
import org.mm4j.alloc.BumpArena;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A batch of 1024 allocations of 64 bytes, then a reset: mm4j's {@link BumpArena} (a mark, then a reset to it)
 * beside the JDK's {@link SegmentAllocator#slicingAllocator} (a new one over the same region).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class BumpArenaBenchmark {
  static final int BATCH = 1024;
  static final long BLOCK = 64;

  private Arena arena;
  private MemorySegment region;
  private BumpArena bump;

  @Setup(Level.Trial)
  public void setUp() {
    arena = Arena.ofConfined();
    region = arena.allocate(BLOCK * BATCH, 64);
    bump = BumpArena.builder().initialBlockBytes(BLOCK * BATCH).build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    arena.close();
    bump.close();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void mm4jBumpArena(Blackhole bh) {
    BumpArena.Mark start = bump.mark();
    for (int i = 0; i < BATCH; i++) {
      bh.consume(bump.allocate(BLOCK));
    }
    bump.reset(start);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void ffmSlicingAllocator(Blackhole bh) {
    SegmentAllocator a = SegmentAllocator.slicingAllocator(region);
    for (int i = 0; i < BATCH; i++) {
      bh.consume(a.allocate(BLOCK));
    }
  }
}
