package dev.attnc.bench.report;

import dev.attnc.bench.suite.Workload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes {@code report.md}: the machine and peak, the kernel table (pattern, n, pairs, ms,
 * GFLOP/s, % of peak, ns/token, allocation per call), the scaling of the linear patterns, the
 * compile times, and links to the plots.
 */
public final class MarkdownReport {

    /** How flat a linear pattern's time per token must stay over n (issue 13 §3: ±15 %). */
    public static final double FLAT = 0.15;

    private MarkdownReport() {}

    /** The kernel table alone (a header and one line per row). */
    public static String kernelTable(List<KernelRow> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| pattern | n | heads × d | pairs | ms | GFLOP/s | % peak | ns/token | alloc/call |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (KernelRow r : rows) {
            Workload w = r.workload();
            sb.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %d × %d | %s | %s | %s | %s | %s | %s |%n",
                    r.series(),
                    r.n(),
                    w.heads(),
                    w.headDim(),
                    Figures.count(w.pairs()),
                    Figures.millisWithError(r.millis(), r.millisError()),
                    Figures.fixed(r.gflops(), 1),
                    Figures.fixed(r.percentOfPeak(), 1),
                    Figures.fixed(r.nanosPerToken(), 1),
                    Figures.bytes(r.allocBytes())));
        }
        return sb.toString();
    }

    /**
     * The time per token of every linear series over its lengths: the first and last, and the
     * largest deviation from the series' median; flat when that is at most {@link #FLAT}.
     */
    public static String scalingTable(List<KernelRow> rows) {
        Map<String, List<KernelRow>> bySeries = new LinkedHashMap<>();
        for (KernelRow r : rows) {
            if (r.workload().growth() == Workload.Growth.LINEAR && !r.series().equals(KernelRow.REFERENCE)) {
                bySeries.computeIfAbsent(r.series(), s -> new ArrayList<>()).add(r);
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("| pattern | n | ns/token (first) | ns/token (last) | max deviation from median | flat (±15 %) |\n");
        sb.append("|---|---|---:|---:|---:|---|\n");
        bySeries.forEach((series, list) -> {
            if (list.size() < 2) {
                return;
            }
            double[] t =
                    list.stream().mapToDouble(KernelRow::nanosPerToken).sorted().toArray();
            double median = t.length % 2 == 1 ? t[t.length / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
            double dev = Math.max(t[t.length - 1] / median - 1, 1 - t[0] / median);
            KernelRow first = list.get(0);
            KernelRow last = list.get(list.size() - 1);
            sb.append(String.format(
                    Locale.ROOT,
                    "| %s | %s–%s | %s | %s | %s %% | %s |%n",
                    series,
                    LogLogPlot.lengthLabel(first.n()),
                    LogLogPlot.lengthLabel(last.n()),
                    Figures.fixed(first.nanosPerToken(), 1),
                    Figures.fixed(last.nanosPerToken(), 1),
                    Figures.fixed(100 * dev, 1),
                    dev <= FLAT ? "yes" : "no"));
        });
        return sb.toString();
    }

    /** The compile-time table. */
    public static String compileTable(List<CompileRow> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| spec | to Java source, cold (ms) | warm (ms) | to loaded kernels, cold (ms) | warm (ms) |"
                + " cold forks |\n");
        sb.append("|---|---:|---:|---:|---:|---:|\n");
        for (CompileRow r : rows) {
            sb.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %d |%n",
                    r.spec(),
                    Figures.millis(r.sourceCold()),
                    Figures.millis(r.sourceWarm()),
                    Figures.millis(r.kernelsCold()),
                    Figures.millis(r.kernelsWarm()),
                    r.coldForks()));
        }
        return sb.toString();
    }

    /**
     * The whole report under the heading "attnc benchmark report, {@code title}". {@code plots}
     * maps a series to its SVG's path relative to the report.
     */
    public static String render(
            String title,
            Machine machine,
            PeakCalibration peak,
            List<KernelRow> kernels,
            List<CompileRow> compile,
            Map<String, String> plots) {
        StringBuilder sb = new StringBuilder();
        sb.append("# attnc benchmark report, ").append(title).append("\n\n");
        sb.append("Written by `bench/report` (bench/README.md). Machine (`machine.txt`):\n\n");
        sb.append("- CPU: ")
                .append(machine.cpu())
                .append(", ")
                .append(machine.cores())
                .append(" cores, ");
        sb.append(machine.vectorBits()).append("-bit preferred vectors\n");
        sb.append("- JDK: ").append(machine.jdk()).append("\n");
        sb.append("- fp32 FMA peak: ").append(peak.describe()).append("\n\n");
        sb.append("Batch 1, fp32, layer 0, the spec's head dim, 12 heads unless the spec fixes them; no runtime"
                + " global tokens. GFLOP/s = 4·d·(attended pairs, counted exactly) / time for softmax"
                + " patterns; for Fastformer (additive, no `W_r`) 4·n·E·H + 6·n·E with pooling matrices,"
                + " 10·n·E with vectors (E = H·d). % peak is of the all-core FMA peak above. ms is JMH's"
                + " mean ± its 99.9 % half-width; alloc/call is JMH's `gc.alloc.rate.norm`."
                + " `dense` is `specs/dense.attn` through the same engine, `" + KernelRow.REFERENCE
                + "` the double-precision `DenseReference` (one thread).\n\n");
        sb.append("## Kernels\n\n").append(kernelTable(kernels)).append('\n');
        sb.append("## Scaling of the linear patterns\n\n")
                .append(scalingTable(kernels))
                .append('\n');
        if (!compile.isEmpty()) {
            sb.append("## Compile time per spec file\n\n");
            sb.append("Front end and Java back end for every pattern of the file (`source`), and the same with javac"
                    + " in memory and class loading (`kernels`, what `attnc run` does first). Cold: the mean of"
                    + " single shots, one per fresh JVM; warm: average time after warm-up.\n\n");
            sb.append(compileTable(compile)).append('\n');
        }
        if (!plots.isEmpty()) {
            sb.append("## Plots\n\nTime and allocation per call against n (log-log), each pattern against `dense`"
                    + " through the same engine (and the fp64 reference where measured).\n\n");
            plots.forEach((series, path) ->
                    sb.append("![").append(series).append("](").append(path).append(")\n\n"));
        }
        return sb.toString();
    }
}
