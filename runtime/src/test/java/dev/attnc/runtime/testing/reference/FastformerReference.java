package dev.attnc.runtime.testing.reference;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fastformer, the official code (github wuch15/Fastformer, {@code Fastformer.ipynb} at commit
 * eb54b988: {@code Model}, {@code FastformerEncoder}, {@code FastformerLayer}, {@code
 * FastAttention}, {@code FastSelfAttention}, {@code AttentionPooling}): see {@link
 * ReferenceModels} for the semantics.
 */
final class FastformerReference {

    /** {@code (1.0 - extended_attention_mask) * -10000.0} in {@code FastformerEncoder.forward}. */
    static final double MASK_PENALTY = -10000.0;

    private static final String ENCODER = "fastformer_model.";

    private FastformerReference() {}

    static Map<String, long[]> shapes(RefConfig c, int vocab, int maxPositions) {
        int h = c.hidden();
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put("word_embedding.weight", new long[] {vocab, h});
        s.put(ENCODER + "position_embeddings.weight", new long[] {maxPositions, h});
        Shapes.layerNorm(s, ENCODER + "LayerNorm", h);
        for (int l = 0; l < c.layers(); l++) {
            String p = ENCODER + "encoders." + l + ".attention.self.";
            Shapes.linear(s, p + "query", h, h);
            Shapes.linear(s, p + "query_att", c.heads(), h);
            Shapes.linear(s, p + "key", h, h);
            Shapes.linear(s, p + "key_att", c.heads(), h);
            Shapes.linear(s, p + "transform", h, h);
            Shapes.bertSublayers(s, ENCODER + "encoders." + l + ".", h, c.intermediate());
        }
        Shapes.linear(s, ENCODER + "poolers.0.att_fc1", h, h);
        Shapes.linear(s, ENCODER + "poolers.0.att_fc2", 1, h);
        return s;
    }

    static RefOutputs run(RefConfig c, Map<String, float[]> weights, RefInputs in) {
        if (in.globalAttentionMask() != null || in.randomLayout() != null) {
            throw new IllegalArgumentException("globalAttentionMask and randomLayout are not Fastformer inputs");
        }
        Checkpoint w = new Checkpoint(
                weights,
                shapes(
                        c,
                        Checkpoint.tableRows(weights, "word_embedding.weight", c.hidden()),
                        Checkpoint.tableRows(weights, ENCODER + "position_embeddings.weight", c.hidden())));
        double[][][] last = new double[in.batch()][][];
        double[][] pooled = new double[in.batch()][];
        for (int b = 0; b < in.batch(); b++) {
            int[] ids = in.inputIds()[b];
            int[] mask = new int[ids.length];
            for (int i = 0; i < ids.length; i++) {
                mask[i] = in.attentionMask() != null ? in.attentionMask()[b][i] : ids[i] != c.padTokenId() ? 1 : 0;
            }
            last[b] = encode(c, w, ids, mask);
            pooled[b] = attentionPooling(w, last[b], mask);
        }
        return new RefOutputs(last, pooled);
    }

    /** {@code Model.forward} up to the encoder's last layer (the pooler's input). */
    private static double[][] encode(RefConfig c, Checkpoint w, int[] ids, int[] mask) {
        int n = ids.length;
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] word = w.row("word_embedding.weight", ids[i]);
            double[] position = w.row(ENCODER + "position_embeddings.weight", i);
            x[i] = new double[c.hidden()];
            for (int k = 0; k < c.hidden(); k++) {
                x[i][k] = word[k] + position[k];
            }
        }
        x = w.layerNorm(ENCODER + "LayerNorm", x, c.layerNormEps());
        double[] extended = new double[n];
        for (int i = 0; i < n; i++) {
            extended[i] = (1.0 - mask[i]) * MASK_PENALTY;
        }
        Activation act = Activation.of(c.hiddenAct());
        for (int l = 0; l < c.layers(); l++) {
            String p = ENCODER + "encoders." + l + ".";
            double[][] self = fastSelfAttention(c, w, p + "attention.self.", x, extended);
            double[][] a = BertSublayers.selfOutput(w, p + "attention.output", self, x, c.layerNormEps());
            x = BertSublayers.feedForward(w, p, a, act, c.layerNormEps());
        }
        return x;
    }

    /**
     * {@code FastSelfAttention.forward}, per head {@code h} over features {@code F_h}: {@code α =
     * softmax_i(query_att(q_i)[h] / √d + ext_i)}, {@code pq = Σ α_i q_i}, {@code p_i = k_i ⊙ pq}
     * ({@code mixed_query_key_layer}), {@code β = softmax_i(key_att(p_i)[h] / √d + ext_i)}, {@code
     * pk = Σ β_i p_i} (pooled over {@code p}, not over {@code k}), {@code u_i = pk ⊙ q_i} (value =
     * query), result {@code transform(u_i) + q_i}.
     */
    private static double[][] fastSelfAttention(RefConfig c, Checkpoint w, String p, double[][] x, double[] ext) {
        int n = x.length;
        int d = c.headDim();
        double[][] q = w.linear(p + "query", x);
        double[][] k = w.linear(p + "key", x);
        double[] pooledQuery = pool(c, w.linear(p + "query_att", q), q, ext);
        double[][] queryKey = new double[n][c.hidden()];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < c.hidden(); f++) {
                queryKey[i][f] = k[i][f] * pooledQuery[f];
            }
        }
        double[] pooledKey = pool(c, w.linear(p + "key_att", queryKey), queryKey, ext);
        double[][] weighted = new double[n][c.hidden()];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < c.hidden(); f++) {
                weighted[i][f] = pooledKey[f] * q[i][f];
            }
        }
        return BertSublayers.plus(w.linear(p + "transform", weighted), q);
    }

    /** Per head: {@code Σ_i softmax_i(scores[i][h] / √d + ext_i) · rows[i][F_h]}. */
    private static double[] pool(RefConfig c, double[][] scores, double[][] rows, double[] ext) {
        int n = rows.length;
        int d = c.headDim();
        double[] pooled = new double[c.hidden()];
        for (int h = 0; h < c.heads(); h++) {
            double[] s = new double[n];
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                s[i] = scores[i][h] / Math.sqrt(d) + ext[i];
                max = Math.max(max, s[i]);
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                s[i] = Math.exp(s[i] - max);
                sum += s[i];
            }
            for (int i = 0; i < n; i++) {
                for (int f = h * d; f < (h + 1) * d; f++) {
                    pooled[f] += s[i] / sum * rows[i][f];
                }
            }
        }
        return pooled;
    }

    /**
     * {@code AttentionPooling.forward} ({@code poolers.0}): {@code α_i = exp(att_fc2(tanh(
     * att_fc1(x_i)))) · mask_i}, {@code α /= Σα + 1e-8}, result {@code Σ α_i x_i}.
     */
    private static double[] attentionPooling(Checkpoint w, double[][] x, int[] mask) {
        int n = x.length;
        double[] alpha = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double[] e = w.linear(ENCODER + "poolers.0.att_fc1", x[i]);
            for (int f = 0; f < e.length; f++) {
                e[f] = Math.tanh(e[f]);
            }
            alpha[i] = Math.exp(w.linear(ENCODER + "poolers.0.att_fc2", e)[0]) * mask[i];
            sum += alpha[i];
        }
        double[] pooled = new double[x[0].length];
        for (int i = 0; i < n; i++) {
            double a = alpha[i] / (sum + 1e-8);
            for (int f = 0; f < pooled.length; f++) {
                pooled[f] += a * x[i][f];
            }
        }
        return pooled;
    }
}
