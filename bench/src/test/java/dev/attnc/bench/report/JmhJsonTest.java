package dev.attnc.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JmhJsonTest {

    private final List<JmhResult> results = JmhJson.parse(Fixtures.text("jmh.json"), "jmh.json");

    @Test
    void readsEveryResultInFileOrder() {
        assertEquals(11, results.size());
        JmhResult first = results.get(0);
        assertEquals("dev.attnc.bench.SoftmaxPatternBenchmark.kernel", first.benchmark());
        assertEquals("SoftmaxPatternBenchmark", first.benchmarkClass());
        assertEquals("kernel", first.method());
        assertEquals(Map.of("n", "1024", "pattern", "dense"), first.params());
        assertEquals(100.0, first.score(), 0.0);
        assertEquals(2.0, first.scoreError(), 0.0);
        assertEquals(80000.0, first.allocPerOp(), 0.0);
        assertEquals("17.0.15", first.jdkVersion());
    }

    @Test
    void nanErrorsAndBothAllocationKeysAreRead() {
        assertTrue(Double.isNaN(results.get(1).scoreError()), "JMH writes \"NaN\" as a string");
        // the fourth result names the metric with JMH's older "·" prefix
        assertEquals(3_000_000.0, results.get(3).allocPerOp(), 0.0);
        // no GC profiler: no allocation
        assertTrue(Double.isNaN(results.get(6).allocPerOp()));
    }

    @Test
    void timesAreConvertedToMilliseconds() {
        JmhResult reference = results.get(5); // 2.5 s/op
        assertEquals(2500.0, reference.millis(), 1e-9);
    }

    @Test
    void malformedInputIsNamed() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> JmhJson.parse("{\"a\": 1}", "x.json"));
        assertTrue(e.getMessage().startsWith("x.json: expected JMH's JSON array"), e.getMessage());
        IllegalArgumentException missing =
                assertThrows(IllegalArgumentException.class, () -> JmhJson.parse("[{\"mode\": \"avgt\"}]", "y.json"));
        assertTrue(missing.getMessage().contains("y.json: result 0: missing"), missing.getMessage());
    }
}
