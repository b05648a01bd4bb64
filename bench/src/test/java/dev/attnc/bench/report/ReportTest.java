package dev.attnc.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Report#write} on a results folder holding the fixtures. */
class ReportTest {

    @Test
    void writesMachineReportAndOnePlotPerPattern(@TempDir Path dir) throws IOException {
        for (String f : List.of("workloads.tsv", "peak.txt")) {
            Files.writeString(dir.resolve(f), Fixtures.text(f), StandardCharsets.UTF_8);
        }
        List<JmhResult> results = JmhJson.parse(Fixtures.text("jmh.json"), "jmh.json");
        Report.write(dir, "2025-01-02", Fixtures.machine(), results);

        String machine = Files.readString(dir.resolve("machine.txt"));
        assertTrue(machine.startsWith("cpu: Test CPU\ncores: 2\nvector bits: 512"), machine);
        assertTrue(
                machine.contains("peak fp32 FMA: 440.0 GFLOP/s on 2 threads, 220.5 GFLOP/s on 1 thread"
                        + " (C bench/peak/fma_peak.c"),
                machine);

        String report = Files.readString(dir.resolve("report.md"));
        assertTrue(report.startsWith("# attnc benchmark report, 2025-01-02\n"), report);
        assertTrue(report.contains(MarkdownReport.kernelTable(Rows.kernels(
                results,
                dev.attnc.bench.suite.WorkloadTable.read(dir.resolve("workloads.tsv")),
                PeakCalibration.parse(Fixtures.text("peak.txt"), "peak.txt")))));
        assertTrue(report.contains("| dense.attn | 250.0 | 3.500 | 1600.0 | 150.0 | 5 |"), report);
        assertTrue(report.contains("![longformer_base](plots/longformer_base.svg)"), report);

        for (String s : List.of("dense", "longformer_base", "fastformer")) {
            Path svg = dir.resolve("plots/" + s + ".svg");
            assertTrue(Files.isRegularFile(svg), svg.toString());
            String text = Files.readString(svg);
            assertTrue(
                    LogLogPlotTest.dots(text).stream().anyMatch(d -> d.series().equals(s)), s);
        }
        // fastformer has no allocation to draw (0 B) but its time: one point, in the time panel
        assertEquals(
                List.of("fastformer 1024 2"),
                LogLogPlotTest.dots(Files.readString(dir.resolve("plots/fastformer.svg"))).stream()
                        .filter(d -> d.series().equals("fastformer"))
                        .map(d -> d.series() + " " + d.x() + " " + d.y())
                        .toList());
        try (var plots = Files.list(dir.resolve("plots"))) {
            assertEquals(3, plots.count(), "one figure per series but the reference");
        }
    }
}
