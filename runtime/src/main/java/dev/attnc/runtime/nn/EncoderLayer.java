package dev.attnc.runtime.nn;

/**
 * One transformer encoder layer: attention → output dense → residual → LayerNorm →
 * intermediate dense → activation → output dense → residual → LayerNorm (post-norm, as BERT,
 * RoBERTa, Longformer, BigBird and Fastformer are), or the pre-norm order
 * {@code h + attn(LN₁(h))}, then {@code h + ffn(LN₂(h))}.
 *
 * @param attention the attention block
 * @param attentionOutput {@code attention.output.dense}
 * @param attentionNorm {@code attention.output.LayerNorm}
 * @param intermediate {@code intermediate.dense}
 * @param activation {@code hidden_act}
 * @param output {@code output.dense}
 * @param outputNorm {@code output.LayerNorm}
 * @param preNorm the pre-norm order
 */
public record EncoderLayer(
        AttentionBlock attention,
        Linear attentionOutput,
        LayerNorm attentionNorm,
        Linear intermediate,
        Activation activation,
        Linear output,
        LayerNorm outputNorm,
        boolean preNorm) {

    public EncoderLayer {
        int hidden = attentionOutput.outFeatures();
        if (attentionOutput.inFeatures() != hidden
                || intermediate.inFeatures() != hidden
                || output.outFeatures() != hidden
                || output.inFeatures() != intermediate.outFeatures()
                || attentionNorm.dim() != hidden
                || outputNorm.dim() != hidden) {
            throw new IllegalArgumentException("encoder layer parts disagree on sizes: attention output ["
                    + attentionOutput.outFeatures() + ", " + attentionOutput.inFeatures() + "], intermediate ["
                    + intermediate.outFeatures() + ", " + intermediate.inFeatures() + "], output ["
                    + output.outFeatures() + ", " + output.inFeatures() + "], norms " + attentionNorm.dim() + " and "
                    + outputNorm.dim());
        }
    }

    /** Runs the layer on the workspace's hidden states, in place. */
    public void forward(EncoderCall call, int layer) {
        Workspace ws = call.workspace();
        int rows = call.rows();
        float[] h = ws.hiddenStates;
        float[] a = ws.residual;
        if (!preNorm) {
            attention.forward(call, layer, h, ws.context);
            attentionOutput.forward(ws.context, rows, a);
            attentionNorm.addAndApply(a, h, rows); // a = LN(attn + h)
            intermediate.forward(a, rows, ws.ffn);
            activation.apply(ws.ffn, 0, rows * intermediate.outFeatures());
            output.forward(ws.ffn, rows, h);
            outputNorm.addAndApply(h, a, rows); // h = LN(ffn + a)
        } else {
            float[] n = ws.normed();
            System.arraycopy(h, 0, n, 0, rows * attentionNorm.dim());
            attentionNorm.apply(n, rows);
            attention.forward(call, layer, n, ws.context);
            attentionOutput.forward(ws.context, rows, a);
            add(a, h, rows * attentionNorm.dim()); // a = h + attn
            System.arraycopy(a, 0, n, 0, rows * outputNorm.dim());
            outputNorm.apply(n, rows);
            intermediate.forward(n, rows, ws.ffn);
            activation.apply(ws.ffn, 0, rows * intermediate.outFeatures());
            output.forward(ws.ffn, rows, h);
            add(h, a, rows * outputNorm.dim()); // h = a + ffn
        }
    }

    private static void add(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            x[i] += y[i];
        }
    }
}
