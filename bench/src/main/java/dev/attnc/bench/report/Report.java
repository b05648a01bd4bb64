package dev.attnc.bench.report;

import dev.attnc.bench.suite.Workload;
import dev.attnc.bench.suite.WorkloadTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a results folder's report from what the suite left there: reads {@code jmh.json}
 * ({@link JmhJson}), {@code workloads.tsv} ({@link WorkloadTable}) and {@code peak.txt}
 * ({@link PeakCalibration}), and writes {@code machine.txt}, {@code report.md}
 * ({@link MarkdownReport}) and {@code plots/<pattern>.svg} ({@link PatternFigure}).
 *
 * <pre>
 *   java --add-modules=jdk.incubator.vector -cp bench/target/benchmarks.jar dev.attnc.bench.report.Report bench/results/DATE [TITLE]
 * </pre>
 */
public final class Report {

    private Report() {}

    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: Report RESULTS_FOLDER [TITLE] (the folder holds jmh.json, workloads.tsv and"
                    + " peak.txt; the title defaults to the folder's name)");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        List<JmhResult> results = JmhJson.read(dir.resolve("jmh.json"));
        String jdk = results.isEmpty()
                ? System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                : results.get(0).vmName() + " " + results.get(0).jdkVersion();
        Machine machine = Machine.probe(jdk);
        write(dir, args.length > 1 ? args[1] : dir.getFileName().toString(), machine, results);
        System.out.println("wrote " + dir.resolve("report.md"));
    }

    /**
     * Writes the report files into {@code dir} (which holds {@code workloads.tsv} and
     * {@code peak.txt}) for {@code results}, measured on {@code machine}; {@code title} follows
     * "attnc benchmark report, " in report.md's heading.
     */
    public static void write(Path dir, String title, Machine machine, List<JmhResult> results) {
        Map<String, Workload> workloads = WorkloadTable.read(dir.resolve("workloads.tsv"));
        PeakCalibration peak = PeakCalibration.parse(
                read(dir.resolve("peak.txt")), dir.resolve("peak.txt").toString());
        List<KernelRow> kernels = Rows.kernels(results, workloads, peak);
        List<CompileRow> compile = Rows.compile(results);
        Map<String, String> plots = new LinkedHashMap<>();
        for (String series : PatternFigure.seriesWithFigures(kernels)) {
            String rel = "plots/" + series + ".svg";
            writeString(dir.resolve(rel), PatternFigure.render(series, kernels));
            plots.put(series, rel);
        }
        writeString(dir.resolve("machine.txt"), machine.describe(peak));
        writeString(dir.resolve("report.md"), MarkdownReport.render(title, machine, peak, kernels, compile, plots));
    }

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
    }

    private static void writeString(Path f, String text) {
        try {
            Files.createDirectories(f.getParent());
            Files.writeString(f, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + f, e);
        }
    }
}
