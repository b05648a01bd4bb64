package dev.attnc.bench.suite;

import dev.attnc.bench.AdditivePatternBenchmark;
import dev.attnc.bench.CompileBenchmark;
import dev.attnc.bench.DenseReferenceBenchmark;
import dev.attnc.bench.SoftmaxPatternBenchmark;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs a {@link Grid} with JMH and writes, into the output folder, {@code jmh.json} (every run's
 * results in JMH's JSON format, as {@code -rf json} writes them) and {@code workloads.tsv} (the
 * exact pair and FLOP counts of every grid point, {@link WorkloadTable}). The groups, each one
 * JMH run (the patterns' lengths differ, so the grid is not one parameter product):
 *
 * <ol>
 *   <li>{@link SoftmaxPatternBenchmark}: the quadratic softmax patterns at the grid's lengths, then the
 *       linear ones also at the linear lengths, with the GC profiler (allocation per call);</li>
 *   <li>{@link AdditivePatternBenchmark}: the Fastformer patterns at every length;</li>
 *   <li>{@link DenseReferenceBenchmark}: the double-precision oracle at small lengths;</li>
 *   <li>{@link CompileBenchmark}: every spec file, cold (single shots in fresh forks) and warm.</li>
 * </ol>
 *
 * <pre>
 *   java --add-modules=jdk.incubator.vector -cp bench/target/benchmarks.jar dev.attnc.bench.suite.Suite quick OUT
 * </pre>
 * Run from the repository root (the specs are read from {@code specs/}, or {@code -Dattnc.specs}).
 */
public final class Suite {

    private final Grid grid;
    private final SpecCatalog catalog;
    private final Path out;
    private final List<RunResult> results = new ArrayList<>();

    private Suite(Grid grid, SpecCatalog catalog, Path out) {
        this.grid = grid;
        this.catalog = catalog;
        this.out = out;
    }

    public static void main(String[] args) throws RunnerException {
        if (args.length != 2) {
            System.err.println("usage: Suite quick|full|smoke OUTPUT_FOLDER");
            System.exit(2);
        }
        Grid grid = Grid.named(args[0]);
        Path out = Path.of(args[1]);
        SpecCatalog catalog = SpecCatalog.load();
        new Suite(grid, catalog, out).run();
    }

    private void run() throws RunnerException {
        Map<String, Workload.Growth> growth = new LinkedHashMap<>();
        List<String> softmax = new ArrayList<>();
        List<String> additive = new ArrayList<>();
        for (SpecCatalog.Entry e : catalog.entries()) {
            if (!grid.patterns().isEmpty() && !grid.patterns().contains(e.name())) {
                continue;
            }
            growth.put(e.name(), Workloads.growth(e.pattern()));
            (e.pattern().isAdditive() ? additive : softmax).add(e.name());
        }
        List<String> quadratic = softmax.stream()
                .filter(p -> growth.get(p) == Workload.Growth.QUADRATIC)
                .toList();
        List<String> linear = softmax.stream()
                .filter(p -> growth.get(p) == Workload.Growth.LINEAR)
                .toList();
        List<Integer> all = new ArrayList<>(grid.lengths());
        all.addAll(grid.linearLengths());
        System.out.printf(
                "attnc bench suite '%s': quadratic %s at %s; linear %s and additive %s at %s%n",
                grid.name(), quadratic, grid.lengths(), linear, additive, all);

        List<Workload> workloads = new ArrayList<>();
        for (String p : quadratic) {
            for (int n : grid.lengths()) {
                workloads.add(Workloads.of(catalog.entry(p).pattern(), n));
            }
        }
        for (String p : concat(linear, additive)) {
            for (int n : all) {
                workloads.add(Workloads.of(catalog.entry(p).pattern(), n));
            }
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + out, e);
        }
        WorkloadTable.write(out.resolve("workloads.tsv"), workloads);

        kernels(SoftmaxPatternBenchmark.class, "kernel", quadratic, grid.lengths());
        kernels(SoftmaxPatternBenchmark.class, "kernel", linear, all);
        kernels(AdditivePatternBenchmark.class, "kernel", additive, all);
        if (softmax.contains("dense") || grid.patterns().isEmpty()) {
            kernels(DenseReferenceBenchmark.class, "reference", List.of("dense"), grid.referenceLengths());
        }
        compile();
        writeJson();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private ChainedOptionsBuilder base(Class<?> benchmark, String method) {
        return new OptionsBuilder()
                .include("^" + Pattern.quote(benchmark.getName() + "." + method) + "$")
                .jvmArgsAppend(
                        "--add-modules=jdk.incubator.vector",
                        "-Xmx8g",
                        "-D" + SpecCatalog.SPECS_PROPERTY + "="
                                + catalog.specsFolder().toAbsolutePath());
    }

    private void kernels(Class<?> benchmark, String method, List<String> patterns, List<Integer> lengths)
            throws RunnerException {
        if (patterns.isEmpty() || lengths.isEmpty()) {
            return;
        }
        ChainedOptionsBuilder o = base(benchmark, method)
                .param("pattern", patterns.toArray(String[]::new))
                .param("n", lengths.stream().map(String::valueOf).toArray(String[]::new))
                .forks(grid.forks())
                .warmupIterations(grid.warmups())
                .warmupTime(TimeValue.seconds(grid.seconds()))
                .measurementIterations(grid.iterations())
                .measurementTime(TimeValue.seconds(grid.seconds()))
                .addProfiler(GCProfiler.class);
        runJmh(o);
    }

    private void compile() throws RunnerException {
        List<String> specs = grid.compileSpecs().isEmpty()
                ? catalog.files().stream().map(f -> f.getFileName().toString()).toList()
                : grid.compileSpecs();
        String[] names = specs.toArray(String[]::new);
        for (String cold : List.of("sourceCold", "kernelsCold")) {
            runJmh(base(CompileBenchmark.class, cold).param("spec", names).forks(grid.coldForks()));
        }
        for (String warm : List.of("sourceWarm", "kernelsWarm")) {
            runJmh(base(CompileBenchmark.class, warm)
                    .param("spec", names)
                    .forks(1)
                    .warmupIterations(grid.warmups() + 1)
                    .warmupTime(TimeValue.seconds(grid.seconds()))
                    .measurementIterations(grid.iterations())
                    .measurementTime(TimeValue.seconds(grid.seconds())));
        }
    }

    private void runJmh(ChainedOptionsBuilder o) throws RunnerException {
        Collection<RunResult> r = new Runner(o.build()).run();
        results.addAll(r);
        writeJson(); // after every group, so an interrupted run keeps what it measured
    }

    private void writeJson() {
        Path json = out.resolve("jmh.json");
        try (PrintStream ps = new PrintStream(Files.newOutputStream(json), true, StandardCharsets.UTF_8)) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, ps).writeOut(results);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + json, e);
        }
    }
}
