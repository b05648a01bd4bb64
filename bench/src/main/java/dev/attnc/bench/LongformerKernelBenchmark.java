package dev.attnc.bench;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.frontend.CompilationUnit;
import dev.attnc.compiler.interp.MaskInterpreter;
import dev.attnc.compiler.interp.ReferenceAttention;
import dev.attnc.compiler.ir.MaskBindings;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.jit.KernelCompiler;
import dev.attnc.compiler.source.SourceFile;
import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionKernel;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.Kernels;
import dev.attnc.runtime.TensorLayout;
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
 * Longformer-base attention (issue 3's target): batch 1, 12 heads, d = 64, n = 4096, 256 keys
 * on each side and one global token ([CLS]), fp32. {@code longformer_base} and
 * {@code bigbird_itc} are the kernels of the generated library ({@code generated/}, from
 * {@code specs/}, found with {@link Kernels}); the inline spec below states the same patterns
 * (without a runtime global mask the library's {@code and from input} adds nothing) for the pair
 * count and the reference, and adds the dilated variant, compiled at set-up as
 * {@code attnc run --backend java} does. GFLOP/s = 4·d·(attended pairs) / time;
 * the set-up prints the pair count. Run with {@code -prof gc} for the allocation per call.
 *
 * <pre>
 *   java -jar bench/target/benchmarks.jar LongformerKernelBenchmark -prof gc
 * </pre>
 * The {@code patterns} parameter also measures the dilated variant (dilation 2, same window
 * count) and BigBird ITC; {@code reference} times the dense double-precision oracle once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx6g"})
public class LongformerKernelBenchmark {

    static final String SPEC = """
            pattern longformer_base { head_dim 64  window 256  global tokens [0] }
            pattern longformer_dilated { head_dim 64  window 256 dilation 2  global tokens [0] }
            pattern bigbird_itc { head_dim 64  block 64  window 3 blocks
                                  global first 1 block, last 1 block  random 3 blocks per row, seed 42 }
            """;

    @Param({"longformer_base", "longformer_dilated", "bigbird_itc"})
    public String pattern;

    @Param({"4096"})
    public int n;

    @Param({"12"})
    public int heads;

    private AttentionKernel kernel;
    private AttentionInputs inputs;
    private float[] out;
    private CompilationUnit unit;
    private PatternIR ir;

    @Setup
    public void setUp() {
        Pipeline.Result r = Pipeline.compileSource(SourceFile.ofString("bench.attn", SPEC));
        if (!r.ok()) {
            throw new IllegalStateException(r.diagnostics().render());
        }
        unit = r.unit().orElseThrow();
        ir = r.pattern(pattern).orElseThrow();
        // the library's kernel (module generated/, built by the Maven plugin from specs/) where the
        // pattern is in it; the dilated variant is the benchmark's own and compiled here
        kernel = pattern.equals("longformer_dilated")
                ? (AttentionKernel) KernelCompiler.load(ir, null)
                : Kernels.attention(pattern);
        AttentionShape shape = new AttentionShape(1, heads, n, 64);
        Random rnd = new Random(1);
        inputs = AttentionInputs.builder(shape, TensorLayout.BHLD)
                .qkv(random(rnd, shape.elements()), random(rnd, shape.elements()), random(rnd, shape.elements()))
                .build();
        out = new float[shape.elements()];
        long pairs = 0;
        for (int h = 0; h < heads; h++) {
            pairs += MaskInterpreter.evaluate(unit, pattern, MaskBindings.of(n).at(0, h))
                    .count();
        }
        System.err.printf(
                "%n%s n=%d H=%d: %d attended pairs, %.3f GFLOP per call (4·d·pairs)%n",
                pattern, n, heads, pairs, 4.0 * 64 * pairs / 1e9);
    }

    /** {@code size} uniform values in [−1, 1). */
    static float[] random(Random rnd, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = rnd.nextFloat() * 2 - 1;
        }
        return a;
    }

    @Benchmark
    public float[] kernel() {
        kernel.compute(inputs, out);
        return out;
    }

    /** The dense double-precision reference, once (it is O(n²) per head). */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    public double[] reference() {
        return ReferenceAttention.compute(unit, pattern, inputs, ir.effectiveScale());
    }
}
