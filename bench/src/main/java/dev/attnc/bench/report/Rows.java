package dev.attnc.bench.report;

import dev.attnc.bench.suite.Workload;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns JMH results into the report's rows: kernel rows (the pattern benchmarks and the dense
 * reference, joined with their workloads by pattern and n) and compile rows (the compile
 * benchmark's four methods per spec). Other benchmarks in the JSON are ignored.
 */
public final class Rows {

    private Rows() {}

    /**
     * Kernel rows, grouped by series in order of first appearance, by n within a series.
     *
     * @throws IllegalArgumentException naming the grid point when a result has no workload
     */
    public static List<KernelRow> kernels(
            List<JmhResult> results, Map<String, Workload> workloads, PeakCalibration peak) {
        List<KernelRow> rows = new ArrayList<>();
        Map<String, Integer> order = new LinkedHashMap<>();
        for (JmhResult r : results) {
            String series;
            switch (r.benchmarkClass()) {
                case "SoftmaxPatternBenchmark", "AdditivePatternBenchmark" -> series = r.param("pattern");
                case "DenseReferenceBenchmark" -> series = KernelRow.REFERENCE;
                default -> {
                    continue;
                }
            }
            String key = Workload.key(r.param("pattern"), Integer.parseInt(r.param("n")));
            Workload w = workloads.get(key);
            if (w == null) {
                throw new IllegalArgumentException(
                        r.benchmark() + " " + r.params() + ": no workload " + key + " in workloads.tsv");
            }
            order.putIfAbsent(series, order.size());
            rows.add(new KernelRow(series, w, r.millis(), r.millisError(), r.allocPerOp(), peak));
        }
        rows.sort(Comparator.comparing((KernelRow k) -> order.get(k.series())).thenComparingInt(KernelRow::n));
        return rows;
    }

    /** Compile rows, by spec in order of first appearance. */
    public static List<CompileRow> compile(List<JmhResult> results) {
        Map<String, double[]> bySpec = new LinkedHashMap<>();
        Map<String, Integer> forks = new LinkedHashMap<>();
        for (JmhResult r : results) {
            if (!r.benchmarkClass().equals("CompileBenchmark")) {
                continue;
            }
            String spec = r.param("spec");
            double[] t =
                    bySpec.computeIfAbsent(spec, s -> new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN});
            int at = switch (r.method()) {
                case "sourceCold" -> 0;
                case "sourceWarm" -> 1;
                case "kernelsCold" -> 2;
                case "kernelsWarm" -> 3;
                default -> -1;
            };
            if (at >= 0) {
                t[at] = r.millis();
            }
            if (r.method().endsWith("Cold")) {
                forks.merge(spec, r.forks(), Math::max);
            }
        }
        List<CompileRow> rows = new ArrayList<>();
        bySpec.forEach(
                (spec, t) -> rows.add(new CompileRow(spec, t[0], t[1], t[2], t[3], forks.getOrDefault(spec, 0))));
        return rows;
    }
}
