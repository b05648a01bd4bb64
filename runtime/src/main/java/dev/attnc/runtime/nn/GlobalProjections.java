package dev.attnc.runtime.nn;

/**
 * Longformer's separate projections for global attention ({@code query_global},
 * {@code key_global}, {@code value_global}): a global row attends every real key through them.
 * The raw key and value weights ({@code [hidden, hidden]}, PyTorch layout) and biases serve
 * {@link FoldedGlobalRows}, which needs no key or value projection of the other tokens.
 */
public record GlobalProjections(
        Linear query,
        Linear key,
        Linear value,
        float[] keyWeight,
        float[] keyBias,
        float[] valueWeight,
        float[] valueBias) {

    /** From PyTorch's tensors ({@code weight [out, in]}, {@code bias [out]}). */
    public static GlobalProjections of(
            float[] qw, float[] qb, float[] kw, float[] kb, float[] vw, float[] vb, int hidden) {
        return new GlobalProjections(
                Linear.fromTorch(qw, qb, hidden, hidden),
                Linear.fromTorch(kw, kb, hidden, hidden),
                Linear.fromTorch(vw, vb, hidden, hidden),
                kw,
                kb,
                vw,
                vb);
    }
}
