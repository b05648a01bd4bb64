package dev.attnc.bench;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.jit.KernelCompiler;
import dev.attnc.compiler.source.SourceFile;
import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionKernel;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.TensorLayout;
import java.util.Map;
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
 * What the constructs of issue 15 §4 cost on the Java backend, each beside the pattern without
 * it, at one length (batch 1, 8 query heads, d 64, fp32):
 *
 * <ul>
 *   <li>{@code causal} against {@code causal & segments from input} with the sequence packed
 *       into 8 or 64 equal documents: the kernels skip other documents' keys, so the time should
 *       follow the attended pairs (about 1/8 and 1/64 of causal's), not stay at causal's;</li>
 *   <li>{@code causal & window 255 before} against the same with {@code alibi}, with
 *       {@code softcap 50.0} and with both (the score step's cost), and with {@code kv_heads 2}
 *       (k and v of 2 heads, each K panel shared by 4 query heads).</li>
 * </ul>
 *
 * <pre>
 *   java -jar bench/target/benchmarks.jar LanguageFeaturesBenchmark -p n=4096
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
public class LanguageFeaturesBenchmark {

    private static final int HEADS = 8;
    private static final int D = 64;

    /** Each case: its spec body, the documents its sequence is packed into, its kv heads. */
    private record Case(String body, int documents, int kvHeads) {}

    private static final Map<String, Case> CASES = Map.of(
            "causal", new Case("causal", 1, HEADS),
            "causal_docs8", new Case("causal & segments from input", 8, HEADS),
            "causal_docs64", new Case("causal & segments from input", 64, HEADS),
            "local", new Case("causal & window 255 before", 1, HEADS),
            "local_alibi", new Case("alibi\n  causal & window 255 before", 1, HEADS),
            "local_softcap", new Case("softcap 50.0\n  causal & window 255 before", 1, HEADS),
            "local_alibi_softcap", new Case("alibi\n  softcap 50.0\n  causal & window 255 before", 1, HEADS),
            "local_gqa2", new Case("kv_heads 2\n  causal & window 255 before", 1, 2));

    @Param({
        "causal",
        "causal_docs8",
        "causal_docs64",
        "local",
        "local_alibi",
        "local_softcap",
        "local_alibi_softcap",
        "local_gqa2"
    })
    public String pattern;

    @Param({"4096"})
    public int n;

    private AttentionKernel kernel;
    private AttentionInputs inputs;
    private float[] out;

    @Setup
    public void setUp() {
        Case c = CASES.get(pattern);
        String spec = "pattern p_" + pattern + " {\n  head_dim " + D + "\n  " + c.body() + "\n}\n";
        Pipeline.Result r = Pipeline.compileSource(SourceFile.ofString(pattern + ".attn", spec));
        if (!r.ok()) {
            throw new IllegalStateException(r.diagnostics().render());
        }
        PatternIR p = r.patterns().get(0);
        kernel = (AttentionKernel) KernelCompiler.load(p, null);
        AttentionShape shape = new AttentionShape(1, HEADS, n, D, c.kvHeads());
        Random rnd = new Random(42);
        AttentionInputs.Builder b = AttentionInputs.builder(shape, TensorLayout.BHLD)
                .qkv(random(rnd, shape.elements()), random(rnd, shape.kvElements()), random(rnd, shape.kvElements()));
        if (spec.contains("segments")) {
            int[] ids = new int[n];
            for (int i = 0; i < n; i++) {
                ids[i] = (int) ((long) i * c.documents() / n);
            }
            b.segmentIds(ids);
        }
        inputs = b.build();
        out = new float[shape.elements()];
    }

    private static float[] random(Random rnd, int size) {
        float[] a = new float[size];
        for (int x = 0; x < size; x++) {
            a[x] = rnd.nextFloat() * 2 - 1;
        }
        return a;
    }

    @Benchmark
    public float[] kernel() {
        kernel.compute(inputs, out);
        return out;
    }
}
