package dev.attnc.bench;

import dev.attnc.runtime.AdditiveInputs;
import dev.attnc.runtime.AdditiveKernel;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.Kernels;
import java.util.Random;
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
 * The official Fastformer of the kernel library ({@code specs/fastformer.attn}: 16 heads,
 * d = 16, E = 256, pooling matrices, shared value), batch 1, fp32: the additive attention alone
 * ({@code transform = false}: O(n·H·E) for the pooling scores) and with the output transform
 * {@code W_r} (an n × E × E product on top). Time per call grows linearly with n.
 *
 * <pre>
 *   java -jar bench/target/benchmarks.jar FastformerKernelBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class FastformerKernelBenchmark {

    @Param({"4096", "16384"})
    public int n;

    @Param({"false", "true"})
    public boolean transform;

    private AdditiveKernel kernel;
    private AdditiveInputs inputs;
    private float[] out;

    @Setup
    public void setUp() {
        kernel = Kernels.additive("fastformer");
        int heads = 16;
        int d = kernel.headDim();
        int e = heads * d;
        Random rnd = new Random(1);
        AdditiveInputs.Builder b = AdditiveInputs.builder(new AttentionShape(1, heads, n, d))
                .qkv(LongformerKernelBenchmark.random(rnd, n * e), LongformerKernelBenchmark.random(rnd, n * e), null)
                .poolingMatrices(
                        LongformerKernelBenchmark.random(rnd, heads * e),
                        LongformerKernelBenchmark.random(rnd, heads),
                        LongformerKernelBenchmark.random(rnd, heads * e),
                        LongformerKernelBenchmark.random(rnd, heads));
        if (transform) {
            b.outputTransform(LongformerKernelBenchmark.random(rnd, e * e), LongformerKernelBenchmark.random(rnd, e));
        }
        inputs = b.build();
        out = new float[n * e];
    }

    @Benchmark
    public float[] kernel() {
        kernel.compute(inputs, out);
        return out;
    }
}
