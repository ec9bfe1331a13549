package org.mm4j.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;
import org.mm4j.alloc.SizeClassAllocator;
import org.mm4j.alloc.SlabAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One allocation and its free, back to back, one thread: mm4j's size-class and slab allocators beside
 * glibc's malloc/free called through FFM downcalls and a confined {@link Arena} per allocation, all in
 * the same run. The returned address is consumed so nothing is optimized away.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class AllocFreePairBenchmark {

  private static final MethodHandle MALLOC;
  private static final MethodHandle FREE;

  static {
    Linker linker = Linker.nativeLinker();
    MALLOC = linker.downcallHandle(linker.defaultLookup().find("malloc").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), Linker.Option.critical(false));
    FREE = linker.downcallHandle(linker.defaultLookup().find("free").orElseThrow(),
        FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG), Linker.Option.critical(false));
  }

  @Param({"16", "64", "256"})
  public int size;

  private SizeClassAllocator sizeClasses;
  private SlabAllocator slab;

  @Setup(Level.Trial)
  public void setUp() {
    sizeClasses = SizeClassAllocator.builder().build();
    slab = SlabAllocator.builder(size).build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    sizeClasses.close();
    slab.close();
  }

  @Benchmark
  public long mm4jSizeClasses() {
    MemorySegment s = sizeClasses.allocate(size);
    long address = s.address();
    sizeClasses.free(s);
    return address;
  }

  @Benchmark
  public long mm4jSlab() {
    MemorySegment s = slab.allocate(size);
    long address = s.address();
    slab.free(s);
    return address;
  }

  @Benchmark
  public long glibcThroughFfm() throws Throwable {
    long address = (long) MALLOC.invokeExact((long) size);
    FREE.invokeExact(address);
    return address;
  }

  @Benchmark
  public long confinedArenaPerAllocation() {
    try (Arena arena = Arena.ofConfined()) {
      return arena.allocate(size).address();
    }
  }
}
