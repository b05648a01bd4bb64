package dev.attnc.runtime.kernel;

/**
 * The pooling scores' weights of one additive pooling pass, laid out for
 * {@link AdditivePooling}'s register blocks: heads in lanes. Head {@code h} of token {@code t}
 * scores {@code s[t, h] = Σ_x W'[h, x]·src[t, x] + b'[h]} over all {@code E = H·d} features,
 * with
 * <pre>
 *   W'[h, x] = factor · W[h, x] · g[x]      (g = 1 for the query pass, g_q for the key pass)
 *   b'[h]    = factor · b[h]
 * </pre>
 * where {@code W} is the full pooling matrix {@code [H, E]}, or the block-diagonal matrix of
 * per-head vectors {@code w [H, d]} ({@code W[h, x] = w[h, x − h·d]} inside head {@code h}, 0
 * elsewhere). Folding {@code g_q} into the key weights is exact algebra: {@code W_ka·(g_q ⊙ k)
 * = (W_ka ⊙ g_q)·k}. {@code factor} is the pattern's scale times {@code log2 e}, so that scores
 * are in log2 units for {@link VectorMath#exp2}.
 *
 * <p>Stored transposed in {@link #chunks} chunks of {@code LANES} heads, {@code w[(c·E + x)·LANES
 * + j] = W'[c·LANES + j, x]}, the heads past {@code H} zero; {@code bias} padded the same way.
 * Immutable after construction.
 */
final class PoolingWeights {

    private static final int L = VectorMath.LANES;

    final int heads;
    final int headDim;
    final int e;
    /** Vectors of heads: {@code ⌈H / LANES⌉}. */
    final int chunks;
    /** {@code chunks · LANES}. */
    final int padded;

    final float[] w;
    final float[] bias;

    /**
     * @param weights {@code [H, E]} when {@code perHeadVectors} is false, else {@code [H, d]}
     * @param bias {@code [H]}
     * @param g the per-feature factor {@code [E]}, or null for none
     */
    PoolingWeights(
            int heads, int headDim, float[] weights, boolean perHeadVectors, float[] bias, float[] g, float factor) {
        this.heads = heads;
        this.headDim = headDim;
        this.e = heads * headDim;
        this.chunks = (heads + L - 1) / L;
        this.padded = chunks * L;
        this.w = new float[chunks * e * L];
        this.bias = new float[padded];
        for (int h = 0; h < heads; h++) {
            int base = (h / L) * e * L + h % L;
            int from = perHeadVectors ? h * headDim : 0;
            int to = perHeadVectors ? from + headDim : e;
            for (int x = from; x < to; x++) {
                float v = perHeadVectors ? weights[h * headDim + x - from] : weights[h * e + x];
                if (g != null) {
                    v *= g[x];
                }
                w[base + x * L] = factor * v;
            }
            this.bias[h] = factor * bias[h];
        }
    }

    /** Index of feature {@code x} in chunk {@code c}. */
    int offset(int c, int x) {
        return (c * e + x) * L;
    }
}
