package dev.attnc.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.bench.suite.Workload;
import dev.attnc.bench.suite.WorkloadTable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The report's figures from the fixture (jmh.json, workloads.tsv, peak.txt: 440 GFLOP/s on 2
 * threads). Expected values are worked out by hand from the fixture's numbers; GFLOP/s and
 * percentages are compared to 1e-9 relative, printed figures exactly.
 */
class ReportTablesTest {

    private final PeakCalibration peak = PeakCalibration.parse(Fixtures.text("peak.txt"), "peak.txt");
    private final Map<String, Workload> workloads =
            WorkloadTable.parse(Fixtures.text("workloads.tsv"), "workloads.tsv");
    private final List<JmhResult> results = JmhJson.parse(Fixtures.text("jmh.json"), "jmh.json");
    private final List<KernelRow> rows = Rows.kernels(results, workloads, peak);

    @Test
    void rowsAreGroupedBySeriesThenLength() {
        assertEquals(
                List.of(
                        "dense@1024",
                        "dense@2048",
                        "longformer_base@1024",
                        "longformer_base@2048",
                        "fastformer@1024",
                        KernelRow.REFERENCE + "@1024"),
                rows.stream().map(r -> r.series() + "@" + r.n()).toList());
    }

    @Test
    void gflopsAndPercentOfPeakFollowFromTheExactCounts() {
        KernelRow dense = rows.get(0);
        // 4·d·pairs = 4·64·12,582,912 = 3,221,225,472 FLOPs in 100 ms
        assertEquals(3_221_225_472.0, dense.workload().flops(), 0.0);
        assertEquals(32.21225472, dense.gflops(), 1e-9 * 32.2);
        assertEquals(100 * 32.21225472 / 440.0, dense.percentOfPeak(), 1e-9);
        assertEquals(100e6 / 1024, dense.nanosPerToken(), 1e-9);
        KernelRow fastformer = rows.get(4);
        // 4·n·E·H + 6·n·E with n = 1024, E = 256, H = 16: 18,350,080 FLOPs in 2 ms
        assertEquals(9.17504, fastformer.gflops(), 1e-9 * 9.2);
        KernelRow reference = rows.get(5); // 2.5 s/op on the dense workload
        assertEquals(3.221225472 / 2.5, reference.gflops(), 1e-9);
    }

    @Test
    void kernelTablePrintsEveryColumn() {
        String[] lines = MarkdownReport.kernelTable(rows).split("\n");
        assertEquals("| pattern | n | heads × d | pairs | ms | GFLOP/s | % peak | ns/token | alloc/call |", lines[0]);
        assertEquals(
                "| dense | 1024 | 12 × 64 | 12,582,912 | 100.0 ± 2.000 | 32.2 | 7.3 | 97656.3 | 80 kB |", lines[2]);
        assertEquals("| dense | 2048 | 12 × 64 | 50,331,648 | 400.0 | 32.2 | 7.3 | 195312.5 | 160 kB |", lines[3]);
        assertEquals(
                "| longformer_base | 1024 | 12 × 64 | 5,532,648 | 50.00 ± 1.000 | 28.3 | 6.4 | 48828.1 | 1.5 MB |",
                lines[4]);
        assertEquals(
                "| longformer_base | 2048 | 12 × 64 | 11,825,640 | 110.0 ± 1.000 | 27.5 | 6.3 | 53710.9 | 3 MB |",
                lines[5]);
        assertEquals("| fastformer | 1024 | 16 × 16 | — | 2.000 | 9.2 | 2.1 | 1953.1 | 0 B |", lines[6]);
        assertEquals(
                "| dense_reference_fp64 | 1024 | 12 × 64 | 12,582,912 | 2500.0 | 1.3 | 0.3 | 2441406.3 | 6 MB |",
                lines[7]);
        assertEquals(8, lines.length);
    }

    @Test
    void scalingTableFlagsTheSpreadOfLinearPatterns() {
        String[] lines = MarkdownReport.scalingTable(rows).split("\n");
        // longformer_base: 48828.125 and 53710.9375 ns/token, median 51269.53: deviation 4.76 %
        assertEquals("| longformer_base | 1k–2k | 48828.1 | 53710.9 | 4.8 % | yes |", lines[2]);
        assertEquals(3, lines.length, "dense is quadratic and fastformer has one length: no rows");
    }

    @Test
    void compileTableHasColdAndWarmTimes() {
        List<CompileRow> compile = Rows.compile(results);
        assertEquals(List.of(new CompileRow("dense.attn", 250.0, 3.5, 1600.0, 150.0, 5)), compile);
        String[] lines = MarkdownReport.compileTable(compile).split("\n");
        assertEquals("| dense.attn | 250.0 | 3.500 | 1600.0 | 150.0 | 5 |", lines[2]);
    }

    @Test
    void aResultWithoutWorkloadIsNamed() {
        Map<String, Workload> none = Map.of();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Rows.kernels(results, none, peak));
        assertTrue(e.getMessage().contains("no workload dense@1024 in workloads.tsv"), e.getMessage());
    }

    @Test
    void workloadTableRoundTrips() {
        List<Workload> all = List.copyOf(workloads.values());
        assertEquals(Fixtures.text("workloads.tsv"), WorkloadTable.format(all));
    }
}
