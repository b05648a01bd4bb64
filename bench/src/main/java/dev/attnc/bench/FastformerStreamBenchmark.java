package dev.attnc.bench;

import dev.attnc.runtime.kernel.VectorMath;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
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
 * The memory limit of {@link FastformerKernelBenchmark}'s additive core: the time to read
 * {@code q} and {@code k} and write {@code out} once ({@code out = q + k}, {@code [n, E]} each,
 * the same sizes), on the same threads (parallel over tiles of 256 rows on the common pool).
 * The core reads {@code q} twice (pooling, then as the value) and {@code k} once and writes
 * {@code out}: its time over this one is how close it is to memory speed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class FastformerStreamBenchmark {

    private static final VectorSpecies<Float> S = VectorMath.SPECIES;
    private static final int ROWS = 256;

    @Param({"official", "bert"})
    public String config;

    @Param({"4096", "16384"})
    public int n;

    private int e;
    private float[] q;
    private float[] k;
    private float[] out;

    @Setup
    public void setUp() {
        e = FastformerKernelBenchmark.heads(config) * FastformerKernelBenchmark.headDim(config);
        Random rnd = new Random(1);
        q = LongformerKernelBenchmark.random(rnd, n * e);
        k = LongformerKernelBenchmark.random(rnd, n * e);
        out = new float[n * e];
    }

    @Benchmark
    public float[] readQKWriteOut() {
        int tiles = (n + ROWS - 1) / ROWS;
        IntStream.range(0, tiles).parallel().forEach(t -> {
            int from = t * ROWS * e;
            int to = Math.min(n, (t + 1) * ROWS) * e;
            for (int x = from; x < to; x += S.length()) {
                FloatVector.fromArray(S, q, x)
                        .add(FloatVector.fromArray(S, k, x))
                        .intoArray(out, x);
            }
        });
        return out;
    }
}
