package org.mm4j.app;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.mm4j.heap.DoubleField;
import org.mm4j.heap.GlobalHandle;
import org.mm4j.heap.HandleScope;
import org.mm4j.heap.Heap;
import org.mm4j.heap.IntField;
import org.mm4j.heap.LongField;
import org.mm4j.heap.RefField;
import org.mm4j.heap.Scope;
import org.mm4j.heap.Type;
import org.mm4j.os.MemoryBudget;
import org.mm4j.os.ProcessMemory;

/**
 * The demo's genome step: a synthetic DNA sequence processed inside a {@link Scope} of the managed
 * heap, with a large scratch buffer (one byte per base) and a table of 8-mer counts as the scope's raw
 * buffers, and one scoped object per window of the sequence. The windows richest in G and C are promoted
 * to the collected heap; everything else is released when the scope closes.
 *
 * <p>The sequence has isochores, as vertebrate genomes do: each window of {@link #WINDOW_BASES} bases
 * draws its GC share from a slow random walk between 35 % and 60 %.
 */
final class GenomeScope {
  static final int WINDOW_BASES = 1 << 20;
  private static final int K = 8;
  private static final int KMERS = 1 << (2 * K);
  /** TATAAA, the TATA box, as a 6-mer code (A=0, C=1, G=2, T=3). */
  private static final int TATA_BOX = 0b11_00_11_00_00_00;
  private static final int PROMOTED = 3;
  private static final byte[] BASES = {'A', 'C', 'G', 'T'};

  static final Type WINDOW =
      Type.struct("GenomeWindow")
          .longField("start")
          .doubleField("gcShare")
          .intField("gcBases")
          .refField("next")
          .build();
  private static final LongField START = WINDOW.longField("start");
  private static final DoubleField GC_SHARE = WINDOW.doubleField("gcShare");
  private static final IntField GC_BASES = WINDOW.intField("gcBases");
  private static final RefField NEXT = WINDOW.refField("next");

  /** Memory at one moment: the process's resident set and the heap's budget. */
  record Memory(long residentBytes, long budgetBytes) {
    static Memory now(MemoryBudget budget) {
      return new Memory(ProcessMemory.residentSetBytes(), budget.usedBytes());
    }
  }

  /** A window the scope promoted to the collected heap, as read back after the scope closed. */
  record Window(long start, double gcShare) {}

  /** What the scan of the sequence found. */
  record Analysis(
      double gcShare,
      int longestRun,
      char longestRunBase,
      long tataBoxes,
      String commonestKmer,
      long commonestKmerCount) {}

  /**
   * The step's outcome: the scope's size, the analysis, the promoted windows as read after the close,
   * memory before the scope, inside it and after its close, and how long the close took.
   */
  record Result(
      long bases,
      long scopeBytes,
      long scopeObjects,
      Analysis analysis,
      List<Window> promoted,
      Memory before,
      Memory inside,
      Memory after,
      long closeNanos) {

    /** This result with the memory readings and close time of {@code other}: what a rerun can vary. */
    Result withMemoryOf(Result other) {
      return new Result(bases, scopeBytes, scopeObjects, analysis, promoted, other.before, other.inside,
          other.after, other.closeNanos);
    }
  }

  private GenomeScope() {}

  /** Runs the step on {@code heap}, whose memory is charged to {@code budget}. */
  @SuppressWarnings("MustBeClosedChecker") // closed in the finally block, which times the close
  static Result run(Heap heap, MemoryBudget budget, long bases, long seed) {
    if (bases < WINDOW_BASES || bases % WINDOW_BASES != 0) {
      throw new IllegalArgumentException(
          "bases must be a positive multiple of " + WINDOW_BASES + ": " + bases);
    }
    Memory before = Memory.now(budget);
    List<GlobalHandle> kept = new ArrayList<>();
    try {
      Memory inside;
      Analysis analysis;
      long scopeBytes;
      long scopeObjects;
      long closeNanos;
      Scope scope = heap.openScope();
      try {
        MemorySegment genome = scope.allocate(bases);
        MemorySegment kmers = scope.allocate((long) KMERS * Integer.BYTES, Integer.BYTES);
        synthesize(genome, new SplittableRandom(seed));
        long windows = windowObjects(heap, scope, genome);
        analysis = analyse(genome, kmers);
        promoteRichest(heap, scope, windows, kept);
        inside = Memory.now(budget);
        scopeBytes = scope.allocatedBytes();
        scopeObjects = scope.objectCount();
      } finally {
        long start = System.nanoTime();
        scope.close();
        closeNanos = System.nanoTime() - start;
      }
      Memory after = Memory.now(budget);
      return new Result(bases, scopeBytes, scopeObjects, analysis, readBack(heap, kept), before,
          inside, after, closeNanos);
    } finally {
      kept.forEach(GlobalHandle::close);
    }
  }

  /** Fills the buffer with bases, window by window, each with its own GC share. */
  private static void synthesize(MemorySegment genome, SplittableRandom random) {
    double gc = 0.45;
    for (long w = 0; w < genome.byteSize(); w += WINDOW_BASES) {
      gc = Math.clamp(gc + random.nextDouble(-0.02, 0.02), 0.35, 0.60);
      int threshold = (int) (gc * (1 << 16));
      for (long i = w; i < w + WINDOW_BASES; i++) {
        int r = random.nextInt();
        boolean strong = (r & 0xFFFF) < threshold; // G or C
        int bit = (r >>> 16) & 1;
        genome.set(ValueLayout.JAVA_BYTE, i, BASES[strong ? 1 + bit : bit * 3]);
      }
    }
  }

  /** One scoped object per window, linked in a list; returns the head's handle. */
  private static long windowObjects(Heap heap, Scope scope, MemorySegment genome) {
    long head = 0;
    for (long w = genome.byteSize() - WINDOW_BASES; w >= 0; w -= WINDOW_BASES) {
      int strong = 0;
      for (long i = w; i < w + WINDOW_BASES; i++) {
        byte b = genome.get(ValueLayout.JAVA_BYTE, i);
        strong += (b == 'C' || b == 'G') ? 1 : 0;
      }
      long window = scope.allocate(WINDOW);
      heap.set(window, START, w);
      heap.set(window, GC_BASES, strong);
      heap.set(window, GC_SHARE, strong / (double) WINDOW_BASES);
      heap.set(window, NEXT, head);
      head = window;
    }
    return head;
  }

  /** GC share, longest homopolymer, TATA boxes and 8-mer counts (in the scope's {@code kmers} buffer). */
  private static Analysis analyse(MemorySegment genome, MemorySegment kmers) {
    long bases = genome.byteSize();
    long strong = 0;
    long tata = 0;
    int run = 0;
    int longest = 0;
    byte runBase = 0;
    byte longestBase = 'A';
    int code = 0;
    for (long i = 0; i < bases; i++) {
      byte b = genome.get(ValueLayout.JAVA_BYTE, i);
      int c = b == 'A' ? 0 : b == 'C' ? 1 : b == 'G' ? 2 : 3;
      strong += (c == 1 || c == 2) ? 1 : 0;
      run = b == runBase ? run + 1 : 1;
      runBase = b;
      if (run > longest) {
        longest = run;
        longestBase = b;
      }
      code = ((code << 2) | c) & (KMERS - 1);
      if (i >= K - 1) {
        long at = (long) code * Integer.BYTES;
        kmers.set(ValueLayout.JAVA_INT, at, kmers.get(ValueLayout.JAVA_INT, at) + 1);
      }
      if (i >= 5 && (code & 0xFFF) == TATA_BOX) {
        tata++;
      }
    }
    int best = 0;
    for (int k = 1; k < KMERS; k++) {
      if (kmers.getAtIndex(ValueLayout.JAVA_INT, k) > kmers.getAtIndex(ValueLayout.JAVA_INT, best)) {
        best = k;
      }
    }
    StringBuilder kmer = new StringBuilder();
    for (int i = K - 1; i >= 0; i--) {
      kmer.append((char) BASES[(best >>> (2 * i)) & 3]);
    }
    return new Analysis(strong / (double) bases, longest, (char) longestBase, tata, kmer.toString(),
        kmers.getAtIndex(ValueLayout.JAVA_INT, best));
  }

  /** Promotes the windows richest in GC out of the scope, each held by a global handle. */
  @SuppressWarnings("MustBeClosedChecker") // the handles are closed by run, after reading the copies
  private static void promoteRichest(Heap heap, Scope scope, long head, List<GlobalHandle> kept) {
    List<long[]> windows = new ArrayList<>(); // {handle, gcBases}
    try (HandleScope handles = heap.openHandleScope()) {
      for (long w = head; w != 0; w = heap.get(w, NEXT)) {
        windows.add(new long[] {w, heap.get(w, GC_BASES)});
      }
      windows.sort(Comparator.comparingLong((long[] w) -> w[1]).reversed());
      for (long[] w : windows.subList(0, Math.min(PROMOTED, windows.size()))) {
        long copy = scope.promote(w[0]);
        heap.set(copy, NEXT, 0); // the copy alone, not the rest of the list it was promoted with
        kept.add(heap.newGlobal(copy));
      }
    }
  }

  private static List<Window> readBack(Heap heap, List<GlobalHandle> kept) {
    List<Window> windows = new ArrayList<>();
    try (HandleScope handles = heap.openHandleScope()) {
      for (GlobalHandle g : kept) {
        long w = g.get();
        windows.add(new Window(heap.get(w, START), heap.get(w, GC_SHARE)));
      }
    }
    return windows;
  }
}
