package dev.attnc.bench;

import dev.attnc.runtime.AdditiveInputs;
import dev.attnc.runtime.AdditiveKernel;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.Kernels;
import dev.attnc.runtime.kernel.AdditiveAttentionKernel;
import dev.attnc.runtime.kernel.AdditiveSpec;
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
 * Fastformer's additive attention, batch 1, fp32, pooling matrices and shared value (the
 * official code), in two configurations:
 * <ul>
 *   <li>{@code official}: the kernel library's {@code specs/fastformer.attn} (16 heads, d = 16,
 *       E = 256, fastformer.json);</li>
 *   <li>{@code bert}: 12 heads, d = 64, E = 768, on the same engine.</li>
 * </ul>
 * {@code transform = false} is the additive core (two pooling passes and {@code g_k ⊙ q}),
 * {@code true} adds the output transform {@code W_r u + b_r + q} (an n × E × E product).
 * {@link FastformerStreamBenchmark} times the memory-bound limit of the same sizes, and
 * {@code bench/hf/fastformer_core.py} the official PyTorch code.
 *
 * <pre>
 *   java -jar bench/target/benchmarks.jar Fastformer -prof gc
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

    @Param({"official", "bert"})
    public String config;

    @Param({"4096", "16384"})
    public int n;

    @Param({"false", "true"})
    public boolean transform;

    private AdditiveKernel kernel;
    private AdditiveInputs inputs;
    private float[] out;

    /** Heads of a configuration. */
    static int heads(String config) {
        return switch (config) {
            case "official" -> 16;
            case "bert" -> 12;
            default -> throw new IllegalArgumentException("config: expected official or bert, got " + config);
        };
    }

    /** Head dim of a configuration. */
    static int headDim(String config) {
        return config.equals("bert") ? 64 : 16;
    }

    @Setup
    public void setUp() {
        int heads = heads(config);
        int d = headDim(config);
        kernel = config.equals("official")
                ? Kernels.additive("fastformer")
                : new AdditiveAttentionKernel(new AdditiveSpec("bert", d, 1 / Math.sqrt(d), heads, true, true)) {};
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
