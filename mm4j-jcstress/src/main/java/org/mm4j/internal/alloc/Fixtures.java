package org.mm4j.internal.alloc;

import java.lang.foreign.Arena;
import org.mm4j.alloc.InvalidFreeException;
import org.mm4j.internal.os.Mapping;
import org.mm4j.internal.os.NativeMemory;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Pages and heaps for the jcstress tests of the allocator's lock-free protocols.
 *
 * <p>These tests live in mm4j-core's package {@code org.mm4j.internal.alloc}: jcstress runs them on
 * the class path, where the tests and mm4j-core share the application class loader and the unnamed
 * module, so the package-private classes are one runtime package with the tests.
 *
 * <p>Every page of every state object lies over the same 64 KiB of one chunk's memory: the operations
 * under test change only the pages' bitmaps (each page's own, off the Java heap) and links, never the
 * memory.
 */
final class Fixtures {
  /** Mapped once per JVM and never unmapped: the forked test JVM exits when its tests are done. */
  static final Mapping CHUNK_MEMORY = NativeMemory.map(Chunk.SIZE, Chunk.SIZE);

  /** 8 KiB slots: 8 slots per page, all in one bitmap word, so every free contends on one word. */
  static final PageClass CLASS = new PageClass(0, 8192);

  /** Outcome code: the free threw {@link InvalidFreeException} for a double free. */
  static final int DOUBLE_FREE = -1;

  /** Outcome code: the free threw something other than a double-free exception. */
  static final int OTHER_FAILURE = -2;

  private Fixtures() {}

  /**
   * A chunk over {@link #CHUNK_MEMORY} with bitmap memory of its own for a page at unit 0: every page of
   * every state object has its own bitmaps, as pages at different places do.
   */
  static Chunk chunk() {
    return new Chunk(CHUNK_MEMORY, Arena.ofAuto().allocate(Chunk.META_PER_UNIT, 64));
  }

  /** A page of {@link #CLASS} owned by {@code heap}, with slots {@code 0 .. allocated-1} handed out. */
  static Page page(ThreadHeap heap, int allocated) {
    Page p = new Page(chunk(), 0, CLASS, heap);
    for (int i = 0; i < allocated; i++) {
      long offset = p.allocSlot();
      if (offset != (long) i * CLASS.slotSize) {
        throw new AssertionError("slot " + i + " allocated at offset " + offset);
      }
    }
    return p;
  }

  /** A heap with one class and no allocator, for tests that never need a new or released page. */
  static ThreadHeap heap() {
    return new ThreadHeap(null, null, 1);
  }

  /** A page as {@link #page}, made the current page of {@code heap}'s only class. */
  static Page currentPage(ThreadHeap heap, int allocated) {
    Page p = page(heap, allocated);
    p.state = Page.CURRENT;
    heap.current[0] = p;
    return p;
  }

  /**
   * A page as {@link #page}, in state CURRENT as if it were current for another class: collecting its
   * remote frees files it in none of the heap's lists.
   */
  static Page otherCurrentPage(ThreadHeap heap, int allocated) {
    Page p = page(heap, allocated);
    p.state = Page.CURRENT;
    return p;
  }

  /** The address of slot {@code slot} of {@code p}. */
  static long address(Page p, int slot) {
    return p.address + (long) slot * p.cls.slotSize;
  }

  /**
   * Which of two pages, each with {@code allocated} slots handed out, have had a slot collected or
   * freed by the owner: bit 0 for {@code a}, bit 1 for {@code b}. Owner only.
   */
  static int collectedMask(Page a, Page b, int allocated) {
    return (a.usedSlots() < allocated ? 1 : 0) | (b.usedSlots() < allocated ? 2 : 0);
  }

  /**
   * The owner frees {@code slot} locally, then collects the page's remote frees; returns how many it
   * collected, or -100 (an outcome no test accepts) if the local free failed.
   */
  static int freeLocalThenCollect(Page p, int slot) {
    return tryFreeLocal(p, slot) == 0 ? p.collectRemote() : -100;
  }

  /** Arbiter of the page tests: r3 = slots a final collect takes, r4 = slots in use after it. */
  static void collectRest(Page p, IIII_Result r) {
    r.r3 = p.collectRemote();
    r.r4 = p.usedSlots();
  }

  /** What {@link PagedAllocator#free} does for a thread that does not own the page. */
  static void freeRemoteAndPush(Page p, int slot) {
    if (p.freeRemote(slot, address(p, slot))) {
      ThreadHeap.pushRemote(p);
    }
  }

  /**
   * A remote free of one slot as an outcome code: 1 if it queued the page, 0 if it did not,
   * {@link #DOUBLE_FREE} or {@link #OTHER_FAILURE} if it threw.
   */
  static int tryFreeRemote(Page p, int slot) {
    try {
      return p.freeRemote(slot, address(p, slot)) ? 1 : 0;
    } catch (InvalidFreeException e) {
      return e.reason() == InvalidFreeException.Reason.DOUBLE_FREE ? DOUBLE_FREE : OTHER_FAILURE;
    } catch (RuntimeException e) {
      return OTHER_FAILURE;
    }
  }

  /** A local free as an outcome code: 0 if it succeeded, else as {@link #tryFreeRemote}. */
  static int tryFreeLocal(Page p, int slot) {
    try {
      p.freeLocal(slot, address(p, slot));
      return 0;
    } catch (InvalidFreeException e) {
      return e.reason() == InvalidFreeException.Reason.DOUBLE_FREE ? DOUBLE_FREE : OTHER_FAILURE;
    } catch (RuntimeException e) {
      return OTHER_FAILURE;
    }
  }
}
