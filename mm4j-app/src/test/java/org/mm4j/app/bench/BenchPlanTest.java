package org.mm4j.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Which JMH runs a plan makes, and which allocators each workload refuses. */
class BenchPlanTest {

    @Test
    void everyWorkloadHasItsReportName() {
        assertEquals(List.of("pair", "batch", "pareto", "larson", "xmalloc", "cache-scratch", "churn"),
                List.of(Workload.values()).stream().map(Workload::id).toList());
        assertEquals(Workload.CACHE_SCRATCH, Workload.byBenchmark("org.mm4j.bench.CacheScratchBenchmark.cacheScratch"));
    }

    @Test
    void arenasRunInBatchOnlyAndConfinedArenasNotAcrossThreads() {
        Allocator arena = Allocator.byName("mm4j-arena");
        Allocator confined = Allocator.byName("ffm-confined");
        assertEquals(null, arena.refusal(Workload.BATCH, 1));
        assertTrue(arena.refusal(Workload.PAIR, 1) != null);
        assertEquals(null, confined.refusal(Workload.LARSON, 1), "one thread frees its own blocks");
        assertTrue(confined.refusal(Workload.LARSON, 2) != null);
        assertEquals(null, confined.refusal(Workload.CHURN, 1));
    }

    @Test
    void theQuickPlanGroupsWorkloadsIntoFewRuns() {
        BenchPlan plan = BenchPlan.quick(List.of(Workload.values()));
        List<BenchPlan.JmhRun> runs = plan.jmhRuns(a -> true);
        assertEquals(4, runs.size(), runs.toString());
        for (BenchPlan.JmhRun run : runs) {
            Pattern regex = Pattern.compile(run.regex());
            for (Workload w : Workload.values()) {
                assertEquals(run.workloads().contains(w), regex.matcher("org.mm4j.bench." + w.benchmark).find(),
                        w + " in " + run);
            }
            assertFalse(regex.matcher("org.mm4j.bench.AllocFreePairBenchmark.mm4jSizeClasses").find());
            boolean twoThreads = run.params().getOrDefault("threads", List.of()).contains("2");
            assertEquals(!twoThreads, run.allocators().contains("ffm-confined"), run.toString());
            assertEquals(run.workloads().contains(Workload.BATCH), run.allocators().contains("mm4j-arena"), run.toString());
            assertFalse(run.allocators().stream().anyMatch(a -> a.startsWith("c-")), "C runs outside JMH");
            assertFalse(run.allocators().contains("mm4j-address"), "the address view runs in full runs only");
        }
        assertTrue(BenchPlan.full(List.of(Workload.PAIR)).jmhRuns(a -> true).get(0).allocators().contains("mm4j-address"));
        int forks = runs.stream().mapToInt(r -> r.forks(plan)).sum();
        // pair 2 sizes × 10, batch 1 × 12, pareto, churn 10 each, 3 threaded × (10 + 9)
        assertEquals(20 + 12 + 10 + 10 + 3 * 19, forks);
        assertTrue(runs.get(0).paramArguments().containsAll(List.of("-p", "size=16,256")), runs.get(0).toString());
    }

    @Test
    void theCProgramGetsThePlansCases() {
        List<String> args = BenchPlan.quick(List.of(Workload.PAIR, Workload.CHURN)).cArguments();
        assertEquals("pair,churn", args.get(args.indexOf("--workloads") + 1));
        assertEquals("16,256", args.get(args.indexOf("--pair-sizes") + 1));
        assertEquals("1,2", args.get(args.indexOf("--threads") + 1));
    }
}
