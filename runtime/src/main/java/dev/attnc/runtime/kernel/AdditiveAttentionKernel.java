package dev.attnc.runtime.kernel;

import dev.attnc.runtime.AdditiveInputs;
import dev.attnc.runtime.AdditiveKernel;
import dev.attnc.runtime.AttentionShape;
import java.util.function.IntFunction;

/**
 * The engine under every generated Fastformer kernel, following the official code as
 * docs/DESIGN.md §3 states it:
 * <pre>
 *   α = softmax_i((W_qa·q_i + b_qa)·scale)    g_q = Σ α_i q_i           (per head)
 *   β = softmax_i((W_ka·p_i + b_ka)·scale)    g_k = Σ β_i p_i,  p_i = g_q ⊙ k_i
 *   out_i = W_r (g_k ⊙ v_i) + b_r + q_i       (or g_k ⊙ v_i without W_r)
 * </pre>
 * In three passes over the tokens, each parallel over tiles of tokens even for one batch item
 * ({@link AdditiveSchedule}):
 * <ol>
 *   <li>one pass over {@code q}: per tile the online-softmax partial of {@code α} and
 *       {@code g_q} ({@link AdditivePooling}), merged per item (split-K); no score buffer;</li>
 *   <li>one pass over {@code k} with {@code g_q} folded into the key weights:
 *       {@code W_ka·(g_q ⊙ k_i) = (W_ka ⊙ g_q)·k_i} ({@link PoolingWeights}) and
 *       {@code g_k = g_q ⊙ Σ β_i k_i}, so {@code p_i} is never formed;</li>
 *   <li>the output pass ({@link AdditiveOutput}): {@code g_k ⊙ v_i} streamed, or through the
 *       runtime's blocked GEMM for {@code W_r}.</li>
 * </ol>
 * Scores are register-blocked with heads in lanes; per-head vectors are the block-diagonal
 * case of the pooling matrix. Padding tokens get no pooling weight, are never read, and output
 * 0. A call allocates O(n·E / tile) floats (one partial per tile) and a few scratch blocks for
 * {@code W_r}, whose packing is cached per array ({@link PackedTransforms}).
 */
public abstract class AdditiveAttentionKernel implements AdditiveKernel {

    /** {@code log2 e}, in double: scores go to {@link VectorMath#exp2} in log2 units. */
    private static final double LOG2E = 1.4426950408889634;

    private final AdditiveSpec spec;

    protected AdditiveAttentionKernel(AdditiveSpec spec) {
        this.spec = spec;
    }

    @Override
    public final String name() {
        return spec.name();
    }

    @Override
    public final int headDim() {
        return spec.headDim();
    }

    @Override
    public final void compute(AdditiveInputs in, float[] out) {
        check(in, out);
        AttentionShape s = in.shape();
        int batch = s.batch();
        int heads = s.heads();
        int d = s.headDim();
        AdditiveSchedule schedule = AdditiveSchedule.of(batch, s.length(), heads * d);
        float factor = (float) (spec.scale() * LOG2E);
        boolean vectors = in.perHeadVectors();
        PoolingWeights wq = new PoolingWeights(heads, d, in.wqa(), vectors, in.bqa(), null, factor);
        float[][] gq = pool(in, in.q(), b -> wq, schedule);
        PoolingWeights[] wk = new PoolingWeights[batch];
        for (int b = 0; b < batch; b++) {
            wk[b] = new PoolingWeights(heads, d, in.wka(), vectors, in.bka(), gq[b], factor);
        }
        float[][] gk = pool(in, in.k(), b -> wk[b], schedule);
        for (int b = 0; b < batch; b++) {
            for (int x = 0; x < gk[b].length; x++) {
                gk[b][x] *= gq[b][x];
            }
        }
        AdditiveOutput.write(in, gk, out, schedule);
    }

    /** The pattern's host side: what the CUDA host code validates and launches with. */
    public final AdditiveSpec spec() {
        return spec;
    }

    /**
     * Checks a call against the pattern, as {@link #compute} does before any work
     * ({@link AdditiveSpec#check}).
     *
     * @throws IllegalArgumentException naming the argument, the expected and the actual shape
     */
    public final void check(AdditiveInputs in, float[] out) {
        spec.check(in, out);
    }

    /** Each batch item's {@code g[h] = Σ_i softmax_i(score(i, h)) src_i[h]}, {@code [E]}, over tiles in parallel. */
    private static float[][] pool(
            AdditiveInputs in, float[] src, IntFunction<PoolingWeights> weights, AdditiveSchedule schedule) {
        AttentionShape s = in.shape();
        int n = s.length();
        int e = s.heads() * s.headDim();
        int tiles = (n + schedule.tokens() - 1) / schedule.tokens();
        float[][] parts = new float[s.batch() * tiles][];
        schedule.forEach(parts.length, t -> {
            int b = t / tiles;
            int from = (t % tiles) * schedule.tokens();
            int to = Math.min(n, from + schedule.tokens());
            parts[t] = AdditivePooling.tile(in, b, src, b * n * e, weights.apply(b), from, to);
        });
        float[][] g = new float[s.batch()][];
        for (int b = 0; b < s.batch(); b++) {
            g[b] = AdditivePooling.merge(parts, b * tiles, (b + 1) * tiles, weights.apply(b));
        }
        return g;
    }
}
