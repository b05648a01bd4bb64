package dev.attnc.bench;

import dev.attnc.bench.suite.GridInputs;
import dev.attnc.bench.suite.SpecCatalog;
import dev.attnc.bench.suite.Workload;
import dev.attnc.bench.suite.Workloads;
import dev.attnc.compiler.jit.KernelCompiler;
import dev.attnc.runtime.AdditiveInputs;
import dev.attnc.runtime.AdditiveKernel;
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
 * One additive (Fastformer) pattern at one length, batch 1, fp32, the additive core without the
 * output transform {@code W_r}: {@code fastformer} and {@code fastformer_paper} from the
 * generated library in the official configuration (16 heads × 16), and {@code fastformer_bert}
 * ({@link SpecCatalog#EXTRA_SPEC}: the official code at 12 heads × 64), compiled at set-up.
 * GFLOP/s counts what {@link Workloads} states (4·n·E·H + 6·n·E with pooling matrices).
 *
 * <pre>
 *   java -jar bench/target/benchmarks.jar AdditivePatternBenchmark -p n=4096 -prof gc
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
public class AdditivePatternBenchmark {

    @Param({"fastformer", "fastformer_paper", "fastformer_bert"})
    public String pattern;

    @Param({"4096"})
    public int n;

    private AdditiveKernel kernel;
    private AdditiveInputs inputs;
    private float[] out;

    @Setup
    public void setUp() {
        SpecCatalog.Entry e = SpecCatalog.load().entry(pattern);
        Workload w = Workloads.of(e.pattern(), n);
        kernel = e.inLibrary() ? Kernels.additive(pattern) : (AdditiveKernel) KernelCompiler.load(e.pattern(), null);
        inputs = GridInputs.additive(e.pattern(), w);
        out = new float[inputs.shape().elements()];
        System.err.printf(
                "%n%s n=%d H=%d d=%d: %.4f GFLOP per call%n", pattern, n, w.heads(), w.headDim(), w.flops() / 1e9);
    }

    @Benchmark
    public float[] kernel() {
        kernel.compute(inputs, out);
        return out;
    }
}
