package dev.attnc.runtime.testing.reference;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Longformer ({@code LongformerModel}, transformers {@code
 * src/transformers/models/longformer/modeling_longformer.py}, read at commit 010a915c): see
 * {@link ReferenceModels} for the semantics. The input is padded as {@code _pad_to_window_size}
 * pads it (to a multiple of {@code max(attention_window)}, pad id, mask 0, token type 0), the
 * model runs on the padded batch, and the padding is cut off at the end.
 */
final class LongformerReference {

    private LongformerReference() {}

    static Map<String, long[]> shapes(RefConfig c, int vocab, int maxPositions, int typeVocab) {
        int h = c.hidden();
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put("embeddings.word_embeddings.weight", new long[] {vocab, h});
        s.put("embeddings.position_embeddings.weight", new long[] {maxPositions, h});
        s.put("embeddings.token_type_embeddings.weight", new long[] {typeVocab, h});
        Shapes.layerNorm(s, "embeddings.LayerNorm", h);
        for (int l = 0; l < c.layers(); l++) {
            String p = "encoder.layer." + l + ".attention.self.";
            for (String proj : new String[] {"query", "key", "value", "query_global", "key_global", "value_global"}) {
                Shapes.linear(s, p + proj, h, h);
            }
            Shapes.bertSublayers(s, "encoder.layer." + l + ".", h, c.intermediate());
        }
        Shapes.linear(s, "pooler.dense", h, h);
        return s;
    }

    static RefOutputs run(RefConfig c, Map<String, float[]> weights, RefInputs in) {
        if (in.randomLayout() != null) {
            throw new IllegalArgumentException("randomLayout is for big_bird only");
        }
        int h = c.hidden();
        Checkpoint w = new Checkpoint(
                weights,
                shapes(
                        c,
                        Checkpoint.tableRows(weights, "embeddings.word_embeddings.weight", h),
                        Checkpoint.tableRows(weights, "embeddings.position_embeddings.weight", h),
                        Checkpoint.tableRows(weights, "embeddings.token_type_embeddings.weight", h)));
        int batch = in.batch();
        double[][][] last = new double[batch][][];
        double[][] pooled = new double[batch][];
        for (int b = 0; b < batch; b++) {
            last[b] = sequence(
                    c,
                    w,
                    in.inputIds()[b],
                    in.attentionMask() == null ? null : in.attentionMask()[b],
                    in.globalAttentionMask() == null ? null : in.globalAttentionMask()[b],
                    in.tokenTypeIds() == null ? null : in.tokenTypeIds()[b]);
            pooled[b] = BertSublayers.pool(w, "pooler.dense", last[b]);
        }
        return new RefOutputs(last, pooled);
    }

    /**
     * {@code create_position_ids_from_input_ids}: {@code mask = id != paddingIdx}, {@code
     * cumsum(mask) · mask + paddingIdx}. Real tokens count from {@code paddingIdx + 1}, pads get
     * {@code paddingIdx}.
     */
    static int[] positionIds(int[] ids, int paddingIdx) {
        int[] pos = new int[ids.length];
        int count = 0;
        for (int i = 0; i < ids.length; i++) {
            int m = ids[i] != paddingIdx ? 1 : 0;
            count += m;
            pos[i] = count * m + paddingIdx;
        }
        return pos;
    }

    /** One sequence; the hidden states of its {@code ids.length} input positions. */
    private static double[][] sequence(RefConfig c, Checkpoint w, int[] ids, int[] mask, int[] global, int[] types) {
        int length = ids.length;
        int maxWindow = Arrays.stream(c.attentionWindow()).max().orElseThrow();
        int n = length + (maxWindow - length % maxWindow) % maxWindow;
        int[] paddedIds = Arrays.copyOf(ids, n);
        Arrays.fill(paddedIds, length, n, c.padTokenId());
        int[] paddedTypes = new int[n];
        boolean[] masked = new boolean[n];
        boolean[] isGlobal = new boolean[n];
        for (int i = 0; i < n; i++) {
            // _merge_to_attention_mask: attention_mask * (global_attention_mask + 1); pads get 0.
            int merged = i >= length ? 0 : (mask == null ? 1 : mask[i]) * ((global == null ? 0 : global[i]) + 1);
            masked[i] = merged == 0;
            isGlobal[i] = merged > 1;
            paddedTypes[i] = i < length && types != null ? types[i] : 0;
        }
        int[] pos = positionIds(paddedIds, c.padTokenId());
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] word = w.row("embeddings.word_embeddings.weight", paddedIds[i]);
            double[] position = w.row("embeddings.position_embeddings.weight", pos[i]);
            double[] type = w.row("embeddings.token_type_embeddings.weight", paddedTypes[i]);
            x[i] = new double[c.hidden()];
            for (int k = 0; k < c.hidden(); k++) {
                x[i][k] = word[k] + position[k] + type[k];
            }
        }
        x = w.layerNorm("embeddings.LayerNorm", x, c.layerNormEps());
        Activation act = Activation.of(c.hiddenAct());
        for (int l = 0; l < c.layers(); l++) {
            String p = "encoder.layer." + l + ".";
            double[][] context =
                    selfAttention(c, w, p + "attention.self.", c.attentionWindow()[l] / 2, x, masked, isGlobal);
            double[][] a = BertSublayers.selfOutput(w, p + "attention.output", context, x, c.layerNormEps());
            x = BertSublayers.feedForward(w, p, a, act, c.layerNormEps());
        }
        return Arrays.copyOf(x, length);
    }

    /**
     * {@code LongformerSelfAttention.forward}. A masked row's output is 0 ({@code
     * attn_probs.masked_fill(is_index_masked, 0)}). A global row attends every unmasked key with
     * {@code query_global / √d}, {@code key_global}, {@code value_global} ({@code
     * _compute_global_attn_output_from_hidden}, which overwrites the row). Any other row attends
     * the global keys ({@code _concat_with_global_key_attn_probs}) and the keys {@code j} with
     * {@code |i − j| ≤ oneSide} that are neither masked nor global ({@code attention_mask != 0}
     * gets {@code finfo.min} in the window), all with {@code query / √d}, {@code key}, {@code
     * value}, in one softmax. HF's {@code finfo.min} scores are left out here, which is the same
     * softmax: every such row has at least itself as a key.
     */
    private static double[][] selfAttention(
            RefConfig c, Checkpoint w, String p, int oneSide, double[][] x, boolean[] masked, boolean[] isGlobal) {
        int n = x.length;
        int d = c.headDim();
        double scale = 1 / Math.sqrt(d);
        double[][] q = w.linear(p + "query", x);
        double[][] k = w.linear(p + "key", x);
        double[][] v = w.linear(p + "value", x);
        int[] globals = indices(isGlobal, true, 0, n);
        int[] valid = indices(masked, false, 0, n);
        double[][] qg = null;
        double[][] kg = null;
        double[][] vg = null;
        if (globals.length > 0) {
            qg = w.linear(p + "query_global", x);
            kg = w.linear(p + "key_global", x);
            vg = w.linear(p + "value_global", x);
        }
        double[][] out = new double[n][c.hidden()];
        for (int i = 0; i < n; i++) {
            if (masked[i]) {
                continue;
            }
            if (isGlobal[i]) {
                for (int head = 0; head < c.heads(); head++) {
                    ListedKeyAttention.attend(qg[i], kg, vg, head * d, d, valid, null, scale, out[i]);
                }
            } else {
                int[] window = windowKeys(i, oneSide, masked, isGlobal);
                int[] keys = Arrays.copyOf(globals, globals.length + window.length);
                System.arraycopy(window, 0, keys, globals.length, window.length);
                for (int head = 0; head < c.heads(); head++) {
                    ListedKeyAttention.attend(q[i], k, v, head * d, d, keys, null, scale, out[i]);
                }
            }
        }
        return out;
    }

    private static int[] windowKeys(int i, int oneSide, boolean[] masked, boolean[] isGlobal) {
        int from = Math.max(0, i - oneSide);
        int to = Math.min(masked.length, i + oneSide + 1);
        return Arrays.stream(indices(masked, false, from, to))
                .filter(j -> !isGlobal[j])
                .toArray();
    }

    private static int[] indices(boolean[] flags, boolean value, int from, int to) {
        int[] r = new int[to - from];
        int count = 0;
        for (int j = from; j < to; j++) {
            if (flags[j] == value) {
                r[count++] = j;
            }
        }
        return Arrays.copyOf(r, count);
    }
}
