package dev.attnc.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * One pattern's figure, as the Longformer paper's Figure 1: allocation per call (left) and time
 * per call (right) against n, log-log, the pattern beside {@code dense} through the same engine
 * and the fp64 reference where measured.
 */
public final class PatternFigure {

    static final String PATTERN_COLOR = "#1f77b4";
    static final String DENSE_COLOR = "#d62728";
    static final String REFERENCE_COLOR = "#7f7f7f";

    /** The series the figures compare against. */
    public static final String DENSE = "dense";

    private PatternFigure() {}

    /** The series that get a figure: every one except the reference, in row order. */
    public static List<String> seriesWithFigures(List<KernelRow> rows) {
        Set<String> names = new LinkedHashSet<>();
        for (KernelRow r : rows) {
            if (!r.series().equals(KernelRow.REFERENCE)) {
                names.add(r.series());
            }
        }
        return new ArrayList<>(names);
    }

    /** The SVG of {@code series}'s figure. */
    public static String render(String series, List<KernelRow> rows) {
        List<String> shown = new ArrayList<>(List.of(series));
        if (!series.equals(DENSE)) {
            shown.add(DENSE);
        }
        shown.add(KernelRow.REFERENCE);
        LogLogPlot.Panel memory = new LogLogPlot.Panel(
                "allocation per call",
                "sequence length n",
                "bytes per call",
                Figures::bytes,
                lines(shown, rows, KernelRow::allocBytes));
        LogLogPlot.Panel time = new LogLogPlot.Panel(
                "time per call",
                "sequence length n",
                "time (ms)",
                Figures::millisTick,
                lines(shown, rows, KernelRow::millis));
        return LogLogPlot.render(series + " vs dense", List.of(memory, time));
    }

    private static List<LogLogPlot.Series> lines(
            List<String> shown, List<KernelRow> rows, ToDoubleFunction<KernelRow> value) {
        List<LogLogPlot.Series> out = new ArrayList<>();
        for (String s : shown) {
            List<LogLogPlot.Point> pts = new ArrayList<>();
            for (KernelRow r : rows) {
                if (r.series().equals(s)) {
                    pts.add(new LogLogPlot.Point(r.n(), value.applyAsDouble(r)));
                }
            }
            if (pts.isEmpty()) {
                continue;
            }
            String color = s.equals(KernelRow.REFERENCE)
                    ? REFERENCE_COLOR
                    : s.equals(shown.get(0)) ? PATTERN_COLOR : DENSE_COLOR;
            out.add(new LogLogPlot.Series(s, color, s.equals(KernelRow.REFERENCE), pts));
        }
        return out;
    }
}
