package org.mm4j.app;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The physical memory this process holds (its resident set), read from Linux's {@code
 * /proc/self/statm}. This is where off-heap memory shows up: the JVM's own memory beans do not see it.
 */
final class ResidentSetSize {
  private static final Path STATM = Path.of("/proc/self/statm");
  /** {@code _SC_PAGESIZE} in Linux's {@code unistd.h} (glibc and musl alike). */
  private static final int SC_PAGESIZE = 30;

  private static final long PAGE_SIZE = pageSize();

  private ResidentSetSize() {}

  /** Resident bytes now, or -1 where {@code /proc/self/statm} cannot be read (not Linux). */
  static long bytes() {
    try {
      // statm: size resident shared text lib data dt, all in pages.
      String statm = Files.readString(STATM).strip();
      int from = statm.indexOf(' ') + 1;
      int to = statm.indexOf(' ', from);
      return Long.parseLong(statm.substring(from, to < 0 ? statm.length() : to)) * PAGE_SIZE;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * The kernel's page size, which statm counts in: 4 KiB on x86-64 but 16 or 64 KiB on some ARM
   * kernels, so it is asked for rather than assumed.
   */
  @SuppressWarnings("restricted") // the launcher and the tests enable native access
  private static long pageSize() {
    try {
      Linker linker = Linker.nativeLinker();
      MethodHandle sysconf =
          linker.downcallHandle(
              linker.defaultLookup().find("sysconf").orElseThrow(),
              FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
      long size = (long) sysconf.invokeExact(SC_PAGESIZE);
      return size > 0 ? size : 4096;
    } catch (Throwable t) { // no native access, no libc: the common page size is the best guess
      return 4096;
    }
  }
}
