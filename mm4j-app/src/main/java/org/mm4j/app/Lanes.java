package org.mm4j.app;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The demo's two worker threads. The admissions lane allocates; the discharges lane frees what the
 * admissions lane allocated, at the same time, so every free of the turnover is a cross-thread
 * (remote) free racing with allocation in the same allocator.
 *
 * <p>Each lane is one long-lived platform thread, so it keeps its thread-local heap in the
 * allocators from round to round, as a server's worker threads would. Work handed to a lane and
 * awaited with {@link #runTogether} is ordered with the caller's work before and after it (the
 * executor's submit and {@link Future#get} are happens-before edges), so lane-confined state needs no
 * further synchronization.
 */
final class Lanes implements AutoCloseable {
  private final ExecutorService admissions = lane("mm4j-admissions");
  private final ExecutorService discharges = lane("mm4j-discharges");

  private static ExecutorService lane(String name) {
    // Daemon: a lane stuck in a failed run must not keep the JVM alive.
    return Executors.newSingleThreadExecutor(Thread.ofPlatform().name(name).daemon(true).factory());
  }

  /** Runs both tasks at the same time, one per lane; returns when both are done. */
  void runTogether(Runnable onAdmissions, Runnable onDischarges) {
    Future<?> admitted = admissions.submit(onAdmissions);
    Future<?> discharged = discharges.submit(onDischarges);
    // Wait for both even if one failed, so that nothing runs behind the caller's back afterwards.
    RuntimeException failure = await(admitted);
    RuntimeException other = await(discharged);
    if (failure == null) {
      failure = other;
    } else if (other != null) {
      failure.addSuppressed(other);
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Runs {@code task} on both lanes (e.g. to trim each lane's thread-local heap). */
  void runOnBoth(Runnable task) {
    runTogether(task, task);
  }

  private static RuntimeException await(Future<?> task) {
    try {
      task.get();
      return null;
    } catch (ExecutionException e) {
      return switch (e.getCause()) {
        case RuntimeException r -> r;
        case Error error -> throw error;
        case Throwable t -> new IllegalStateException("lane task failed", t);
      };
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new IllegalStateException("interrupted while waiting for a lane", e);
    }
  }

  @Override
  public void close() {
    admissions.shutdown();
    discharges.shutdown();
    try {
      admissions.awaitTermination(10, TimeUnit.SECONDS);
      discharges.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
