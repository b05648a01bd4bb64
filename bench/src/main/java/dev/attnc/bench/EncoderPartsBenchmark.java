package dev.attnc.bench;

import dev.attnc.compiler.models.ModelKernels;
import dev.attnc.runtime.AdditiveInputs;
import dev.attnc.runtime.AdditiveKernel;
import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionKernel;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.TensorLayout;
import dev.attnc.runtime.model.LayerKernels;
import dev.attnc.runtime.model.ModelConfig;
import dev.attnc.runtime.nn.Activation;
import dev.attnc.runtime.nn.LayerNorm;
import dev.attnc.runtime.nn.Linear;
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
 * The parts of one encoder layer of {@link EncoderLayerBenchmark}'s configuration (batch 1,
 * {@code n} tokens, hidden 768, 12 heads, intermediate 3072), each alone, so that the layer's
 * time can be read as attention / projections / FFN / norms:
 * <ul>
 *   <li>{@code projections}: the Q, K, V and output projections (4 × {@code [n × 768] · [768 × 768]};
 *       Fastformer has Q, K, transform and output: also 4);
 *   <li>{@code attention}: the attention kernel alone (Longformer's window 512 with one global
 *       token, BigBird ITC block 64 r 3, Fastformer's additive pooling);
 *   <li>{@code ffn}: intermediate dense, GELU, output dense;
 *   <li>{@code norms}: the two residual adds and LayerNorms.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx6g"})
public class EncoderPartsBenchmark {

    @Param({"longformer", "big_bird", "fastformer"})
    public String family;

    @Param({"4096"})
    public int n;

    private static final int HIDDEN = 768;
    private static final int HEADS = 12;
    private static final int INTERMEDIATE = 3072;

    private Linear square;
    private Linear up;
    private Linear down;
    private LayerNorm norm;
    private float[] x;
    private float[] y;
    private float[] ffn;
    private AttentionKernel softmax;
    private AttentionInputs softmaxInputs;
    private AdditiveKernel additive;
    private AdditiveInputs additiveInputs;

    @Setup
    public void setUp() {
        Random r = new Random(1);
        square = Linear.fromTorch(random(r, HIDDEN * HIDDEN, 0.03f), random(r, HIDDEN, 0.01f), HIDDEN, HIDDEN);
        up = Linear.fromTorch(
                random(r, INTERMEDIATE * HIDDEN, 0.03f), random(r, INTERMEDIATE, 0.01f), INTERMEDIATE, HIDDEN);
        down = Linear.fromTorch(
                random(r, HIDDEN * INTERMEDIATE, 0.02f), random(r, HIDDEN, 0.01f), HIDDEN, INTERMEDIATE);
        norm = LayerNorm.of(random(r, HIDDEN, 1f), random(r, HIDDEN, 0.1f), 1e-5);
        x = random(r, n * HIDDEN, 1f);
        y = new float[n * HIDDEN];
        ffn = new float[n * INTERMEDIATE];
        String json = "{\"model_type\": \"" + family + "\", \"hidden_size\": 768, \"num_hidden_layers\": 1,"
                + " \"num_attention_heads\": 12, \"attention_window\": [512], \"block_size\": 64,"
                + " \"num_random_blocks\": 3}";
        ModelConfig c = ModelConfig.parse(json, null, "bench");
        ModelKernels kernels = new ModelKernels(c, "java");
        AttentionShape shape = new AttentionShape(1, HEADS, n, HIDDEN / HEADS);
        if (family.equals("fastformer")) {
            additive = kernels.additive(0);
            additiveInputs = AdditiveInputs.builder(shape)
                    .qkv(random(r, n * HIDDEN, 1f), random(r, n * HIDDEN, 1f), null)
                    .poolingMatrices(
                            random(r, HEADS * HIDDEN, 0.03f),
                            random(r, HEADS, 0.01f),
                            random(r, HEADS * HIDDEN, 0.03f),
                            random(r, HEADS, 0.01f))
                    .build();
        } else {
            softmax = kernels.attention(0, LayerKernels.Role.PATTERN);
            AttentionInputs.Builder b = AttentionInputs.builder(shape, TensorLayout.BLHD)
                    .qkv(random(r, n * HIDDEN, 1f), random(r, n * HIDDEN, 1f), random(r, n * HIDDEN, 1f));
            if (family.equals("longformer")) {
                boolean[] g = new boolean[n];
                g[0] = true;
                b.globalMask(g);
            }
            softmaxInputs = b.build();
        }
    }

    static float[] random(Random r, int size, float scale) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) r.nextGaussian() * scale;
        }
        return a;
    }

    @Benchmark
    public float[] projections() {
        for (int p = 0; p < 4; p++) {
            square.forward(x, n, y);
        }
        return y;
    }

    @Benchmark
    public float[] attention() {
        if (additive != null) {
            additive.compute(additiveInputs, y);
        } else {
            softmax.compute(softmaxInputs, y);
        }
        return y;
    }

    @Benchmark
    public float[] ffn() {
        up.forward(x, n, ffn);
        Activation.GELU.apply(ffn, 0, n * INTERMEDIATE);
        down.forward(ffn, n, y);
        return y;
    }

    @Benchmark
    public float[] norms() {
        norm.addAndApply(y, x, n);
        norm.addAndApply(y, x, n);
        return y;
    }
}
