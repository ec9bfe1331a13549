package org.mm4j.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.util.concurrent.TimeUnit;
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
 * The floor every mm4j allocator is compared with: the JDK's bump-pointer {@link
 * SegmentAllocator#slicingAllocator(MemorySegment)}, which never frees.
 *
 * <p>Each invocation starts a fresh slicing allocator over one pre-allocated region and carves
 * {@value #BATCH} blocks of {@value #BLOCK_SIZE} bytes from it, so the allocator's creation is
 * amortized and the score is the cost of one 64-byte allocation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class ArenaBaselineBenchmark {

  static final int BATCH = 1024;
  static final long BLOCK_SIZE = 64;

  private Arena arena;
  private MemorySegment region;

  @Setup(Level.Trial)
  public void setUp() {
    arena = Arena.ofConfined();
    region = arena.allocate(BLOCK_SIZE * BATCH, BLOCK_SIZE);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    arena.close();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void slicingAllocate64(Blackhole blackhole) {
    SegmentAllocator allocator = SegmentAllocator.slicingAllocator(region);
    for (int i = 0; i < BATCH; i++) {
      blackhole.consume(allocator.allocate(BLOCK_SIZE));
    }
  }
}
