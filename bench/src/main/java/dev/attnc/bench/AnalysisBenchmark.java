package dev.attnc.bench;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.inspect.TileAnalysis;
import dev.attnc.compiler.inspect.TileMap;
import dev.attnc.compiler.ir.MaskBindings;
import dev.attnc.compiler.ir.MaskExpr;
import dev.attnc.compiler.source.SourceFile;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The tile analysis (classes and exact counts, no n×n mask) on the paper settings at long
 * lengths: how long the compiler needs to plan a kernel for one (layer, head).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class AnalysisBenchmark {

    @Param({"longformer", "bigbird", "dilated"})
    public String pattern;

    @Param({"16384", "1000000"})
    public int n;

    private MaskExpr mask;

    @Setup
    public void compile() {
        String spec = switch (pattern) {
            case "longformer" -> "pattern p { head_dim 64 window 256 global tokens [0] }";
            case "bigbird" ->
                "pattern p { head_dim 64 block 64 window 3 blocks global first 1 block, last 1 block "
                        + "random 3 blocks per row, seed 42 }";
            case "dilated" -> "pattern p { head_dim 64 window 256 dilation 2 | global tokens [0] }";
            default -> throw new IllegalArgumentException(pattern);
        };
        Pipeline.Result r = Pipeline.compileSource(SourceFile.ofString("bench.attn", spec));
        if (!r.ok()) {
            throw new IllegalStateException(r.diagnostics().render());
        }
        mask = r.patterns().get(0).mask();
    }

    @Benchmark
    public TileMap tiles64() {
        return TileAnalysis.analyze(mask, MaskBindings.of(n), 64, 64);
    }
}
