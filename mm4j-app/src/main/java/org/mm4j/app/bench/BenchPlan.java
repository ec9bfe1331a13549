package org.mm4j.app.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What one {@code ./mm4j bench alloc} runs: the workloads with their sizes and thread counts, how long JMH
 * and the C program measure, and which JMH invocations that takes.
 *
 * @param quick whether this is the short run
 * @param workloads the workloads, in report order
 * @param pairSizes block sizes of {@code pair}
 * @param batchSizes block sizes of {@code batch}
 * @param threads thread counts of the threaded workloads (larson, xmalloc, cache-scratch)
 * @param jmhOptions JMH's iteration options ({@code -f 1 -wi … -w … -i … -r …})
 * @param cWarmupMillis the C program's warm-up time per case
 * @param cMillis the C program's measured time per case
 */
record BenchPlan(boolean quick, List<Workload> workloads, List<Long> pairSizes, List<Long> batchSizes, List<Integer> threads,
        List<String> jmhOptions, int cWarmupMillis, int cMillis) {

    /** Within 3 minutes on 2 cores: two pair sizes, one batch size, one short iteration per fork. */
    static BenchPlan quick(List<Workload> workloads) {
        return new BenchPlan(true, workloads, List.of(16L, 256L), List.of(4096L), List.of(1, 2),
                List.of("-f", "1", "-wi", "1", "-w", "200ms", "-i", "1", "-r", "250ms"), 80, 200);
    }

    /** Every size, warmed up and measured in several iterations. */
    static BenchPlan full(List<Workload> workloads) {
        return new BenchPlan(false, workloads, List.of(16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L, 262144L, 1048576L),
                List.of(16L, 256L, 4096L), List.of(1, 2),
                List.of("-f", "1", "-wi", "3", "-w", "1s", "-i", "5", "-r", "1s"), 500, 2000);
    }

    /** One workload case: the workload, its thread count and its size (null where it has none). */
    record Case(Workload workload, int threads, Long size) {}

    /** Every case of the plan, in report order. */
    List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (Workload w : workloads) {
            for (int t : w.threaded() ? threads : List.of(1)) {
                List<Long> sizes = w == Workload.PAIR ? pairSizes : w == Workload.BATCH ? batchSizes
                        : Collections.singletonList(w.fixedSize);
                for (Long size : sizes) {
                    cases.add(new Case(w, t, size));
                }
            }
        }
        return cases;
    }

    /**
     * One JMH invocation: the benchmarks (a regular expression), the allocators and the other parameters.
     * Parameters a benchmark does not declare are ignored by JMH, so workloads that share the allocators,
     * the thread count and the sizes share one invocation.
     */
    record JmhRun(List<Workload> workloads, List<String> allocators, Map<String, List<String>> params) {
        /** The benchmark selector: the workloads' methods, anchored. */
        String regex() {
            List<String> names = new ArrayList<>();
            for (Workload w : workloads) {
                names.add(w.benchmark.replace(".", "\\."));
            }
            return "^org\\.mm4j\\.bench\\.(" + String.join("|", names) + ")$";
        }

        /** The JMH arguments after the selector: {@code -p name=v1,v2} for each parameter. */
        List<String> paramArguments() {
            List<String> args = new ArrayList<>();
            args.add("-p");
            args.add("allocator=" + String.join(",", allocators));
            params.forEach((name, values) -> {
                args.add("-p");
                args.add(name + "=" + String.join(",", values));
            });
            return args;
        }

        /** How many forks (one per benchmark and parameter combination) this run makes. */
        int forks(BenchPlan plan) {
            int forks = 0;
            for (Workload w : workloads) {
                int sizes = w == Workload.PAIR ? plan.pairSizes.size() : w == Workload.BATCH ? plan.batchSizes.size() : 1;
                forks += allocators.size() * sizes * (params.containsKey("threads") && w.threaded()
                        ? params.get("threads").size() : 1);
            }
            return forks;
        }
    }

    /**
     * The JMH invocations for the Java allocators that {@code runs} accepts, grouped so that each
     * invocation has one allocator list, one thread count and one size list.
     */
    List<JmhRun> jmhRuns(Predicate<Allocator> runs) {
        Map<List<Object>, List<Workload>> groups = new LinkedHashMap<>();
        Map<List<Object>, JmhRun> templates = new LinkedHashMap<>();
        for (Workload w : workloads) {
            for (int t : w.threaded() ? threads : List.of(1)) {
                List<String> allocators = new ArrayList<>();
                for (Allocator a : Allocator.ALL) {
                    if (!a.inC() && (a.inQuick() || !quick) && runs.test(a) && a.refusal(w, t) == null) {
                        allocators.add(a.name());
                    }
                }
                if (allocators.isEmpty()) {
                    continue;
                }
                Map<String, List<String>> params = new LinkedHashMap<>();
                if (w.threaded()) {
                    params.put("threads", List.of(Integer.toString(t)));
                }
                if (w == Workload.PAIR || w == Workload.BATCH) {
                    params.put("size", (w == Workload.PAIR ? pairSizes : batchSizes).stream().map(String::valueOf).toList());
                }
                // Threaded workloads at one thread share a run with the single-threaded ones.
                List<Object> key = List.of(allocators, t, params.getOrDefault("size", List.of()));
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(w);
                templates.merge(key, new JmhRun(List.of(), allocators, params), (old, added) -> {
                    Map<String, List<String>> merged = new LinkedHashMap<>(old.params());
                    merged.putAll(added.params());
                    return new JmhRun(List.of(), allocators, merged);
                });
            }
        }
        List<JmhRun> runsOut = new ArrayList<>();
        groups.forEach((key, ws) -> {
            JmhRun template = templates.get(key);
            runsOut.add(new JmhRun(List.copyOf(ws), template.allocators(), template.params()));
        });
        return runsOut;
    }

    /** The C program's arguments for this plan. */
    List<String> cArguments() {
        List<String> args = new ArrayList<>(List.of("--warmup-ms", Integer.toString(cWarmupMillis), "--time-ms",
                Integer.toString(cMillis)));
        args.add("--workloads");
        args.add(String.join(",", workloads.stream().map(Workload::id).toList()));
        args.add("--pair-sizes");
        args.add(String.join(",", pairSizes.stream().map(String::valueOf).toList()));
        args.add("--batch-sizes");
        args.add(String.join(",", batchSizes.stream().map(String::valueOf).toList()));
        args.add("--threads");
        args.add(String.join(",", threads.stream().map(String::valueOf).toList()));
        return args;
    }
}
