package dev.attnc.runtime.nn;

import dev.attnc.runtime.AdditiveInputs;
import dev.attnc.runtime.AdditiveKernel;
import dev.attnc.runtime.AttentionShape;

/**
 * Fastformer's attention (wuch15/Fastformer, {@code FastSelfAttention}) around a compiled
 * {@link AdditiveKernel}: {@code query} and {@code key} projections, then the kernel pools with
 * {@code query_att} and {@code key_att} (Linear over all heads, scores divided by
 * {@code sqrt(d)}, padding excluded) and uses the query as the value, giving {@code u}; this
 * block returns {@code transform(u) + q} (the transform on the packed GEMM).
 */
public final class AdditiveSelfAttention implements AttentionBlock {

    private final Linear query;
    private final Linear key;
    private final float[] queryAttWeight; // [H, H·d]
    private final float[] queryAttBias; // [H]
    private final float[] keyAttWeight;
    private final float[] keyAttBias;
    private final Linear transform;
    private final int heads;
    private final AdditiveKernel kernel;

    /**
     * @param queryAtt {@code query_att}: {@code [heads, hidden]} weight and {@code [heads]} bias
     * @param keyAtt {@code key_att}, likewise
     * @param transform {@code transform}, run here by the packed GEMM (the kernel returns {@code u})
     */
    public AdditiveSelfAttention(
            Linear query,
            Linear key,
            float[][] queryAtt,
            float[][] keyAtt,
            Linear transform,
            int heads,
            AdditiveKernel kernel) {
        int hidden = query.outFeatures();
        if (hidden % heads != 0 || hidden / heads != kernel.headDim()) {
            throw new IllegalArgumentException("hidden size " + hidden + " over " + heads
                    + " heads does not match kernel " + kernel.name() + " (head dim " + kernel.headDim() + ")");
        }
        this.query = query;
        this.key = key;
        this.queryAttWeight = queryAtt[0];
        this.queryAttBias = queryAtt[1];
        this.keyAttWeight = keyAtt[0];
        this.keyAttBias = keyAtt[1];
        this.transform = transform;
        this.heads = heads;
        this.kernel = kernel;
    }

    @Override
    public void forward(EncoderCall call, int layer, float[] hidden, float[] context) {
        Workspace ws = call.workspace();
        int rows = call.rows();
        query.forward(hidden, rows, ws.q);
        key.forward(hidden, rows, ws.k);
        AttentionShape shape = new AttentionShape(call.batch(), heads, call.length(), kernel.headDim());
        AdditiveInputs in = AdditiveInputs.builder(shape)
                .qkv(ws.q, ws.k, null)
                .keyValid(call.keyValid())
                .poolingMatrices(queryAttWeight, queryAttBias, keyAttWeight, keyAttBias)
                .build();
        kernel.compute(in, ws.v); // u = g_k ⊙ q (0 on padding)
        transform.forward(ws.v, rows, context);
        float[] q = ws.q;
        int n = rows * query.outFeatures();
        for (int i = 0; i < n; i++) {
            context[i] += q[i];
        }
    }
}
