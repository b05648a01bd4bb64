package dev.attnc.bench;

import dev.attnc.bench.suite.GridInputs;
import dev.attnc.bench.suite.SpecCatalog;
import dev.attnc.bench.suite.Workload;
import dev.attnc.bench.suite.Workloads;
import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionKernel;
import dev.attnc.runtime.Kernels;
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
 * One softmax pattern of {@code specs/} at one length, through its kernel in the generated
 * library ({@link Kernels#attention(String)}): batch 1, the spec's head dim, 12 heads unless the
 * spec fixes them, layer 0, fp32, no runtime global tokens. The set-up counts the attended pairs
 * exactly ({@link Workloads}) and prints them; GFLOP/s = 4·d·pairs / time. {@code dense} (from
 * {@code specs/dense.attn}) is the baseline through the same engine. The suite
 * ({@code bench/report}, {@link dev.attnc.bench.suite.Suite}) sets the grid; by hand:
 *
 * <pre>
 *   java -jar bench/target/benchmarks.jar SoftmaxPatternBenchmark -p pattern=longformer_base,dense -p n=4096 -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 2,
        jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx8g"})
public class SoftmaxPatternBenchmark {

    @Param({"longformer_base"})
    public String pattern;

    @Param({"4096"})
    public int n;

    private AttentionKernel kernel;
    private AttentionInputs inputs;
    private float[] out;

    @Setup
    public void setUp() {
        SpecCatalog.Entry e = SpecCatalog.load().entry(pattern);
        Workload w = Workloads.of(e.pattern(), n);
        kernel = Kernels.attention(pattern);
        inputs = GridInputs.softmax(e.pattern(), w);
        out = new float[inputs.shape().elements()];
        System.err.printf(
                "%n%s n=%d H=%d d=%d layer %d: %d attended pairs, %.3f GFLOP per call (4·d·pairs), %s%n",
                pattern,
                n,
                w.heads(),
                w.headDim(),
                w.layer(),
                w.pairs(),
                w.flops() / 1e9,
                w.growth().label());
    }

    @Benchmark
    public float[] kernel() {
        kernel.compute(inputs, out);
        return out;
    }
}
