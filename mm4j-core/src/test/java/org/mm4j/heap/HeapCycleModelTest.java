package org.mm4j.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mm4j.alloc.Seeds;
import org.mm4j.heap.HeapModelTest.Run;
import org.mm4j.internal.heap.CycleSteps;

/**
 * The model-based runs of {@link HeapModelTest} with old collections in progress while the program
 * mutates: concurrent marking, remark, concurrent sweeping, abandoned by full collections. Besides the model's
 * checks (every reachable object intact after every collection, every unreachable one gone after a full
 * one, a stale handle only for an unreachable object), every object unreachable when a cycle starts — and
 * not used since, nor reachable from an object used since — is freed by the end of that cycle; and
 * {@code verify()}, which checks the marking invariants of each phase, passes after every step of the
 * cycle.
 */
class HeapCycleModelTest {
    static LongStream seeds() {
        return Seeds.seeds(4);
    }

    /**
     * One thread, no collector thread: the cycle is stepped by hand at random points between the model's
     * operations, with random amounts of work per step, so that every phase meets every operation, and
     * minor and full collections fall into every phase. Every transition of the cycle must happen.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void everyPhaseTransitionAtRandomPoints(long seed) {
        Seeds.withSeed(seed, () -> {
            try (Heap heap = Heap.builder().name("phases").nurseryBytes(256 << 10).collectorThreads(0).build()) {
                CycleSteps.setAutomatic(heap, false);
                Run run = new Run(heap, seed);
                SplittableRandom random = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
                Map<Long, Set<Long>> unreachableAtStart = new HashMap<>();
                Set<String> seen = new TreeSet<>();
                for (int i = 0; i < 8000; i++) {
                    int phase = CycleSteps.phase(heap);
                    long minors = heap.gc().stats(GarbageCollector.YOUNG).collections();
                    int majors = run.majors;
                    run.step(true);
                    if (run.majors != majors) {
                        seen.add("full collection while " + name(phase));
                    } else if (heap.gc().stats(GarbageCollector.YOUNG).collections() != minors) {
                        seen.add("minor collection while " + name(phase));
                    }
                    if (random.nextInt(3) == 0) {
                        long started = CycleSteps.started(heap);
                        long resumed = CycleSteps.remarksResumed(heap);
                        int units = 1 + random.nextInt(random.nextBoolean() ? 16 : 400);
                        int after = CycleSteps.step(heap, units);
                        seen.add(name(phase) + " -> " + name(after)
                                + (CycleSteps.remarksResumed(heap) != resumed ? " (remark left work)" : ""));
                        if (CycleSteps.started(heap) != started) {
                            // the snapshot was taken in this step's minor collection: nothing ran since
                            Set<Long> dead = run.unreachableNow();
                            run.watched.add(dead);
                            unreachableAtStart.put(CycleSteps.started(heap), dead);
                        }
                        heap.gc().verify();
                        run.checkAll(false);
                    }
                    checkCyclesEnded(heap, run, unreachableAtStart, 0);
                }
                for (String transition : List.of("idle -> marking", "marking -> marking",
                        "marking -> marking (remark left work)", "marking -> sweeping", "sweeping -> sweeping",
                        "sweeping -> idle", "minor collection while marking", "minor collection while sweeping",
                        "full collection while marking", "full collection while sweeping")) {
                    assertTrue(seen.contains(transition), "never happened: " + transition + "; seen " + seen);
                }
                run.finish();
                heap.gc().collect();
                assertEquals(0, heap.stats().liveObjects(), "all roots closed: nothing lives");
            }
        });
    }

    private static String name(int phase) {
        return switch (phase) {
            case CycleSteps.IDLE -> "idle";
            case CycleSteps.MARKING -> "marking";
            default -> "sweeping";
        };
    }

    /**
     * Checks the objects unreachable at the start of cycle {@code s} (and not used since) once {@code s +
     * after} cycles have ended (completed, or abandoned for a full collection, which frees them too).
     */
    private static void checkCyclesEnded(Heap heap, Run run, Map<Long, Set<Long>> unreachableAtStart, int after) {
        long ended = CycleSteps.ended(heap);
        for (var it = unreachableAtStart.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey() + after <= ended) {
                run.assertFreed(e.getValue(), "cycle " + (e.getKey() + after) + " (unreachable when cycle "
                        + e.getKey() + " started)");
                run.watched.remove(e.getValue());
                it.remove();
            }
        }
    }

    static Stream<Arguments> threadsAndSeeds() {
        return Seeds.seeds(2).boxed().flatMap(seed -> Stream.of(1, 2).map(threads -> Arguments.of(threads, seed)));
    }

    /**
     * One or two threads mutate while a collector thread marks and sweeps, cycle after cycle (each minor
     * collection starts one when none runs), and mutators assist. Each thread checks its own graph; the
     * start of a cycle is seen only after the fact, so an object seen unreachable then is checked when the
     * next cycle has ended.
     */
    @ParameterizedTest
    @MethodSource("threadsAndSeeds")
    void mutationWhileACollectorThreadMarksAndSweeps(int threads, long seed) {
        Seeds.withSeed(seed, () -> {
            try (Heap heap = Heap.builder().name("concurrent").nurseryBytes(256 << 10).collectorThreads(1).build()) {
                CycleSteps.setContinuous(heap, true);
                HeapModelTest.inThreads(threads, t -> {
                    Run run = new Run(heap, seed + 31L * t);
                    Map<Long, Set<Long>> unreachable = new HashMap<>();
                    long lastSeen = CycleSteps.started(heap);
                    for (int i = 0; i < 4000; i++) {
                        run.step(true);
                        long started = CycleSteps.started(heap);
                        if (started != lastSeen) {
                            lastSeen = started;
                            Set<Long> dead = run.unreachableNow();
                            run.watched.add(dead);
                            unreachable.put(started, dead);
                        }
                        checkCyclesEnded(heap, run, unreachable, 1);
                    }
                    run.finish();
                });
                assertTrue(CycleSteps.completed(heap) > 0, "cycles ran to their end while the threads mutated");
                heap.gc().collect();
                heap.gc().verify();
                assertEquals(0, heap.stats().liveObjects(), "every thread closed its roots");
            }
        });
    }
}
