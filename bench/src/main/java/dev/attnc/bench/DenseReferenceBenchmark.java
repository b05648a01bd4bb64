package dev.attnc.bench;

import dev.attnc.bench.suite.GridInputs;
import dev.attnc.bench.suite.SpecCatalog;
import dev.attnc.bench.suite.Workload;
import dev.attnc.bench.suite.Workloads;
import dev.attnc.compiler.ir.MaskExpr;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.DenseReference;
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
 * The baseline without a compiler: {@link DenseReference}, the tests' oracle (naive, double
 * precision, one thread, O(n²) memory per row sweep), on {@code specs/dense.attn}'s shape
 * (12 heads × 64); small lengths only. Its work is the dense pattern's (4·d·n² per head).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class DenseReferenceBenchmark {

    /** The pattern whose shape and work this is. */
    @Param({"dense"})
    public String pattern;

    @Param({"1024"})
    public int n;

    private AttentionInputs inputs;
    private double scale;

    @Setup
    public void setUp() {
        PatternIR p = SpecCatalog.load().entry(pattern).pattern();
        if (!(p.mask() instanceof MaskExpr.Full)) {
            throw new IllegalArgumentException("pattern: DenseReferenceBenchmark times full attention, '" + pattern
                    + "' is not 'full' (" + p.mask() + ")");
        }
        Workload w = Workloads.of(p, n);
        inputs = GridInputs.softmax(p, w);
        scale = p.effectiveScale();
    }

    @Benchmark
    public double[] reference() {
        return DenseReference.attention(inputs, (b, h, i, j) -> true, DenseReference.GlobalRows.NONE, scale);
    }
}
