package dev.attnc.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.bench.suite.Workload;
import dev.attnc.bench.suite.WorkloadTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LogLogPlotTest {

    private static final Pattern CIRCLE =
            Pattern.compile("<circle cx=\"([0-9.]+)\" cy=\"([0-9.]+)\" r=\"3\" fill=\"[^\"]+\" data-series=\"([^\"]+)\""
                    + " data-x=\"([^\"]+)\" data-y=\"([^\"]+)\">");

    /** A drawn point: its series, data values and pixel position. */
    record Dot(String series, String x, String y, double cx, double cy) {}

    static List<Dot> dots(String svg) {
        List<Dot> out = new ArrayList<>();
        Matcher m = CIRCLE.matcher(svg);
        while (m.find()) {
            out.add(new Dot(
                    m.group(3),
                    m.group(4),
                    m.group(5),
                    Double.parseDouble(m.group(1)),
                    Double.parseDouble(m.group(2))));
        }
        return out;
    }

    private static LogLogPlot.Panel panel(List<LogLogPlot.Series> series) {
        return new LogLogPlot.Panel("t", "n", "ms", Figures::millisTick, series);
    }

    @Test
    void everyDrawablePointIsACircleAtItsLogPosition() {
        LogLogPlot.Series a = new LogLogPlot.Series(
                "a",
                "#000",
                false,
                List.of(
                        new LogLogPlot.Point(4096, 100),
                        new LogLogPlot.Point(1024, 10),
                        new LogLogPlot.Point(2048, 0), // not drawable on a log axis
                        new LogLogPlot.Point(16384, Double.NaN)));
        LogLogPlot.Series b = new LogLogPlot.Series("b", "#f00", true, List.of(new LogLogPlot.Point(1024, 1)));
        String svg = LogLogPlot.render("fig", List.of(panel(List.of(a, b))));
        List<Dot> dots = dots(svg);
        assertEquals(
                List.of("a 1024 10", "a 4096 100", "b 1024 1"),
                dots.stream().map(d -> d.series() + " " + d.x() + " " + d.y()).toList());
        // y decades 1..100: 10 is half way up; x: 1k and 4k at the ends of a padded range
        Dot a10 = dots.get(0);
        Dot a100 = dots.get(1);
        Dot b1 = dots.get(2);
        assertEquals(a10.cx(), b1.cx(), 1e-9, "same n, same x");
        assertTrue(a100.cx() > a10.cx());
        assertEquals((b1.cy() + a100.cy()) / 2, a10.cy(), 0.01, "log scale: 10 halfway between 1 and 100");
        assertTrue(svg.contains("stroke-dasharray=\"5,3\""), "b is dashed");
        assertTrue(svg.contains(">4k</text>") && svg.contains(">1k</text>"), "x ticks at the data's lengths");
        assertTrue(svg.contains(">100 ms</text>") && svg.contains(">1 ms</text>"), "y ticks at decades");
        assertEquals(svg, LogLogPlot.render("fig", List.of(panel(List.of(a, b)))), "deterministic");
    }

    @Test
    void patternFigureComparesThePatternWithDenseAndTheReference() {
        PeakCalibration peak = PeakCalibration.parse(Fixtures.text("peak.txt"), "peak.txt");
        Map<String, Workload> w = WorkloadTable.parse(Fixtures.text("workloads.tsv"), "workloads.tsv");
        List<KernelRow> rows = Rows.kernels(JmhJson.parse(Fixtures.text("jmh.json"), "jmh.json"), w, peak);
        assertEquals(List.of("dense", "longformer_base", "fastformer"), PatternFigure.seriesWithFigures(rows));
        String svg = PatternFigure.render("longformer_base", rows);
        List<String> points = dots(svg).stream()
                .map(d -> d.series() + " " + d.x() + " " + d.y())
                .toList();
        // left panel: bytes per call; right panel: ms per call (the reference's 2.5 s/op as 2500 ms)
        assertEquals(
                List.of(
                        "longformer_base 1024 1500000",
                        "longformer_base 2048 3000000",
                        "dense 1024 80000",
                        "dense 2048 160000",
                        "dense_reference_fp64 1024 6000000",
                        "longformer_base 1024 50",
                        "longformer_base 2048 110",
                        "dense 1024 100",
                        "dense 2048 400",
                        "dense_reference_fp64 1024 2500"),
                points);
        assertTrue(svg.contains(">longformer_base vs dense</text>"));
        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    }
}
