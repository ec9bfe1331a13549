package org.mm4j.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JMH's JSON, the side channel and the C program's output become the rows the report is made of. */
class ResultParsingTest {

    /** Two results as JMH 1.37 writes them (trimmed): a single iteration has the error "NaN", as a string. */
    static final String JMH_JSON = """
            [
                {
                    "jmhVersion" : "1.37",
                    "benchmark" : "org.mm4j.bench.PairBenchmark.pair",
                    "mode" : "avgt",
                    "threads" : 1,
                    "params" : { "allocator" : "mm4j", "size" : "256" },
                    "primaryMetric" : {
                        "score" : 12.5, "scoreError" : "NaN", "scoreConfidence" : [ "NaN", "NaN" ],
                        "scoreUnit" : "ns/op", "rawData" : [ [ 12.5 ] ]
                    },
                    "secondaryMetrics" : { }
                },
                {
                    "benchmark" : "org.mm4j.bench.LarsonBenchmark.larson",
                    "params" : { "allocator" : "glibc", "threads" : "2" },
                    "primaryMetric" : { "score" : 0.05, "scoreError" : 0.001, "scoreUnit" : "us/op" }
                },
                {
                    "benchmark" : "org.mm4j.bench.XmallocBenchmark.xmalloc",
                    "params" : { "allocator" : "mimalloc", "threads" : "1" },
                    "primaryMetric" : { "score" : 20.0, "scoreError" : 1.5, "scoreUnit" : "ns/op" }
                },
                {
                    "benchmark" : "org.mm4j.bench.ChurnBenchmark.churn",
                    "params" : { "allocator" : "mm4j" },
                    "primaryMetric" : { "score" : 40.0, "scoreError" : "NaN", "scoreUnit" : "ns/op" }
                },
                {
                    "benchmark" : "org.mm4j.bench.AllocFreePairBenchmark.glibcThroughFfm",
                    "params" : { "size" : "16" },
                    "primaryMetric" : { "score" : 9.0, "scoreError" : "NaN", "scoreUnit" : "ns/op" }
                }
            ]
            """;

    @Test
    void jmhResultsBecomeRowsWithWorkloadAllocatorThreadsAndSize() {
        List<ResultRow> rows = JmhResults.parse(JMH_JSON);
        assertEquals(4, rows.size(), "benchmarks that are not workloads are left out: " + rows);
        ResultRow pair = rows.get(0);
        assertEquals("pair", pair.workload());
        assertEquals("mm4j", pair.allocator());
        assertEquals(1, pair.threads());
        assertEquals(256L, pair.sizeBytes());
        assertEquals(12.5, pair.nsPerOp());
        assertTrue(Double.isNaN(pair.scoreError()));

        ResultRow larson = rows.get(1);
        assertEquals("larson", larson.workload());
        assertEquals(2, larson.threads());
        assertNull(larson.sizeBytes(), "larson's sizes vary");
        assertEquals(50.0, larson.nsPerOp(), 1e-9, "us/op is converted to ns/op");
        assertEquals(1.0, larson.scoreError(), 1e-9);

        assertEquals(64L, rows.get(2).sizeBytes(), "xmalloc's blocks are 64 bytes");
        assertEquals("churn", rows.get(3).workload());
    }

    @Test
    void churnMemoryComesFromTheSideChannel() {
        String side = """
                {"workload":"churn","allocator":"mm4j","threads":1,"live_bytes":1000,"committed_bytes":4000,\
                "committed_source":"metrics().committedBytes()","rss_bytes":90000,"rss_baseline_bytes":70000}
                {"workload":"churn","allocator":"glibc","threads":1,"live_bytes":1000,"committed_bytes":null,\
                "committed_source":"none","rss_bytes":1,"rss_baseline_bytes":1}
                """;
        List<ResultRow> rows = JmhResults.attachMemory(JmhResults.parse(JMH_JSON), JmhResults.parseMemoryLines(side));
        ResultRow churn = rows.get(3);
        assertEquals(new ResultRow.Memory(1000, 4000L, "metrics().committedBytes()", 90000, 70000), churn.memory());
        assertNull(rows.get(0).memory(), "only churn reports memory");
    }

    @Test
    void aFileThatIsNotAJmhArrayIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> JmhResults.parse("{\"benchmark\": 1}"));
        assertThrows(IllegalArgumentException.class, () -> JmhResults.parse("[{\"a\": 1"));
    }

    @Test
    void cProgramLinesBecomeRows() {
        String output = """
                info allocator=c-jemalloc malloc_from=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
                result workload=pair allocator=c-jemalloc threads=1 size=16 ns_per_op=9.8100
                result workload=larson allocator=c-jemalloc threads=2 size=- ns_per_op=31.5
                result workload=churn allocator=c-jemalloc threads=1 size=- ns_per_op=60.0 live_bytes=100 \
                committed_bytes=250 rss_bytes=4096 rss_baseline_bytes=1024
                something else
                """;
        List<ResultRow> rows = CProgramOutput.parse(output);
        assertEquals(3, rows.size());
        assertEquals(new ResultRow("pair", "c-jemalloc", 1, 16L, 9.81, Double.NaN, null), rows.get(0));
        assertNull(rows.get(1).sizeBytes());
        assertEquals(2, rows.get(1).threads());
        ResultRow.Memory memory = rows.get(2).memory();
        assertEquals(100, memory.liveBytes());
        assertEquals(250L, memory.committedBytes());
        assertEquals(4096, memory.rssBytes());
        assertEquals("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2", CProgramOutput.info(output).get("malloc_from"));
    }

    @Test
    void aForkIsNamedByItsWorkloadAndParameters() {
        assertEquals("pair allocator=mm4j size=16",
                JmhRunner.describe("org.mm4j.bench.PairBenchmark.pair", "(allocator = mm4j, size = 16)"));
        assertEquals("cache-scratch allocator=glibc threads=2",
                JmhRunner.describe("org.mm4j.bench.CacheScratchBenchmark.cacheScratch", "(allocator = glibc, threads = 2)"));
    }

    @Test
    void jsonReadsWhatItQuotes() {
        String tricky = "a \"quoted\" \\ line\nwith\ttabs and \u0001";
        assertEquals(tricky, Json.parse(Json.quote(tricky)));
        Object parsed = Json.parse(" {\"a\": [1, 2.5e1, true, null, {}], \"b\": \"\\u00e9\"} ");
        assertEquals(Map.of("a", java.util.Arrays.asList(1.0, 25.0, true, null, Map.of()), "b", "é"), parsed);
    }
}
