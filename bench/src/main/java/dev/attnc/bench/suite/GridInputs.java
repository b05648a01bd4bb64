package dev.attnc.bench.suite;

import dev.attnc.compiler.ir.Attention;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.runtime.AdditiveInputs;
import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.TensorLayout;
import java.util.Optional;
import java.util.Random;

/**
 * The inputs of one grid point, batch 1, seeded: uniform values in [−1, 1) for q, k, v (and the
 * Fastformer pooling matrices or vectors), no padding, no runtime global tokens, and the
 * {@link RandomLayoutTable} for {@code random blocks from input}.
 */
public final class GridInputs {

    private static final long SEED = 1;

    private GridInputs() {}

    /**
     * Softmax inputs {@code [1, heads, n, d]} in layout BHLD for {@code w}'s shape; k and v hold
     * the pattern's {@code kv_heads} when it fixes them (grouped-query attention), else every head.
     */
    public static AttentionInputs softmax(PatternIR p, Workload w) {
        AttentionShape shape =
                new AttentionShape(1, w.heads(), w.n(), w.headDim(), p.kvHeads().orElse(w.heads()));
        Random rnd = new Random(SEED);
        AttentionInputs.Builder b = AttentionInputs.builder(shape, TensorLayout.BHLD)
                .qkv(uniform(rnd, shape.elements()), uniform(rnd, shape.kvElements()), uniform(rnd, shape.kvElements()))
                .layer(w.layer());
        Optional<Integer> block = RandomLayoutTable.block(p);
        if (block.isPresent()) {
            b.randomLayout(RandomLayoutTable.flat(p, w.n(), w.heads()), block.get(), RandomLayoutTable.PER_ROW);
        }
        return b.build();
    }

    /** Additive inputs {@code [1, n, H·d]} for {@code w}'s shape, without an output transform. */
    public static AdditiveInputs additive(PatternIR p, Workload w) {
        Attention.Additive a = (Attention.Additive) p.attention();
        int heads = w.heads();
        int e = heads * w.headDim();
        AttentionShape shape = new AttentionShape(1, heads, w.n(), w.headDim());
        Random rnd = new Random(SEED);
        float[] q = uniform(rnd, w.n() * e);
        float[] k = uniform(rnd, w.n() * e);
        float[] v = a.sharedValue() ? null : uniform(rnd, w.n() * e);
        AdditiveInputs.Builder b = AdditiveInputs.builder(shape).qkv(q, k, v);
        if (a.poolingMatrix()) {
            b.poolingMatrices(
                    uniform(rnd, heads * e), uniform(rnd, heads), uniform(rnd, heads * e), uniform(rnd, heads));
        } else {
            b.poolingVectors(
                    uniform(rnd, heads * w.headDim()),
                    uniform(rnd, heads),
                    uniform(rnd, heads * w.headDim()),
                    uniform(rnd, heads));
        }
        return b.build();
    }

    /** {@code size} uniform values in [−1, 1). */
    public static float[] uniform(Random rnd, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = rnd.nextFloat() * 2 - 1;
        }
        return a;
    }
}
