package dev.attnc.bench;

import dev.attnc.runtime.nn.Linear;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Linear#forward}, fp32 {@code y[rows, out] = x[rows, in] · Wᵀ + b}, on the shapes of a
 * BERT-base layer: the feed-forward's up ({@code 768 → 3072}) and down ({@code 3072 → 768})
 * projections and the attention's {@code 768 → 768}. GFLOP/s = {@code 2 · rows · in · out} /
 * time; the % of peak compares that with {@code bench/peak/run.sh} run in the same session. The
 * numbers measured are in docs/GEMM.md.
 *
 * <p>{@code threads = 0} runs on the caller's default (the common pool and the calling thread:
 * every core); {@code threads = n} runs the call inside {@code new ForkJoinPool(n)}, as a model
 * call with a thread count does.
 *
 * <pre>
 *   bench/peak/run.sh
 *   java -jar bench/target/benchmarks.jar GemmBenchmark -f 1 -wi 3 -i 5
 *   java -jar bench/target/benchmarks.jar GemmBenchmark -p rows=4096 -p threads=1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class GemmBenchmark {

    /** {@code in x out}. */
    @Param({"768x3072", "768x768", "3072x768"})
    public String shape;

    @Param({"1", "17", "512", "4096"})
    public int rows;

    /** 0: the common pool; otherwise a pool of this many threads. */
    @Param({"0"})
    public int threads;

    private Linear linear;
    private float[] x;
    private float[] y;
    private ForkJoinPool pool;

    @Setup
    public void setUp() {
        String[] io = shape.split("x");
        int in = Integer.parseInt(io[0]);
        int out = Integer.parseInt(io[1]);
        Random rnd = new Random(1);
        linear = Linear.fromTorch(
                LongformerKernelBenchmark.random(rnd, out * in), LongformerKernelBenchmark.random(rnd, out), out, in);
        x = LongformerKernelBenchmark.random(rnd, rows * in);
        y = new float[rows * out];
        pool = threads > 0 ? new ForkJoinPool(threads) : null;
    }

    @TearDown
    public void tearDown() {
        if (pool != null) {
            pool.shutdown();
        }
    }

    @Benchmark
    public float[] forward() {
        if (pool == null) {
            linear.forward(x, rows, y);
        } else {
            pool.submit(() -> linear.forward(x, rows, y)).join();
        }
        return y;
    }
}
