package dev.attnc.bench.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.attnc.bench.suite.Workload;
import dev.attnc.runtime.cuda.CudaDtype;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Launch-time summaries and the table, on hand-made rows. */
class DeviceTableTest {

    private static DeviceRow row(String pattern, CudaDtype dtype, int n, double flops, double bytes, float... ms) {
        Workload w = new Workload(pattern, n, 12, 64, 0, 1, flops, Workload.Growth.LINEAR);
        return new DeviceRow(new DeviceWork(w, dtype, 4, bytes), LaunchTimes.of(ms));
    }

    @Test
    void medianAndMinimum() {
        assertEquals(new LaunchTimes(2.0, 1.0, 3), LaunchTimes.of(new float[] {3f, 1f, 2f}));
        assertEquals(new LaunchTimes(2.5, 1.0, 4), LaunchTimes.of(new float[] {4f, 1f, 3f, 2f}));
        assertEquals(new LaunchTimes(0.5, 0.5, 1), LaunchTimes.of(new float[] {0.5f}));
        assertThrows(IllegalArgumentException.class, () -> LaunchTimes.of(new float[0]));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> LaunchTimes.of(new float[] {1f, Float.NaN}));
        assertEquals("launch times: element 1 is NaN ms", e.getMessage());
    }

    @Test
    void markdownHasOneRowPerPointWithRatesAtTheMedian() {
        // 2e12 FLOP and 4e9 bytes in a median of 2 ms: 1000 TFLOP/s, 2000 GB/s
        List<DeviceRow> rows = List.of(
                row("dense", CudaDtype.F16, 4096, 2e12, 4e9, 2f, 1.5f, 2.5f),
                row("fastformer", CudaDtype.F32, 65536, 1e9, 1e8, 0.25f, 0.125f));
        assertEquals("""
                | pattern | dtype | n | median ms | min ms | TFLOP/s | GB/s |
                |---|---|---:|---:|---:|---:|---:|
                | dense | fp16 | 4096 | 2.000 | 1.500 | 1000.00 | 2000.0 |
                | fastformer | fp32 | 65536 | 0.188 | 0.125 | 5.33 | 533.3 |
                """, DeviceTable.markdown(rows));
    }

    @Test
    void tsvHasTheSameCells() {
        List<DeviceRow> rows = List.of(row("bigbird_itc", CudaDtype.BF16, 8192, 1e10, 1e9, 1f));
        assertEquals(
                "pattern\tdtype\tn\tmedian ms\tmin ms\tTFLOP/s\tGB/s\nbigbird_itc\tbf16\t8192\t1.000\t1.000\t10.00\t1000.0\n",
                DeviceTable.tsv(rows));
    }
}
