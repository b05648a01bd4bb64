package dev.attnc.runtime.testing.reference;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * BigBird ({@code BigBirdModel}, transformers {@code
 * src/transformers/models/big_bird/modeling_big_bird.py}, read at commit 48c8c8db): see {@link
 * ReferenceModels} for the semantics.
 */
final class BigBirdReference {

    /** {@code attn_mask_penalty} of {@code bigbird_block_sparse_attention}. */
    static final double SPARSE_PENALTY = -10000.0;

    /** {@code torch.finfo(torch.float32).min}, {@code get_extended_attention_mask}'s fill value. */
    static final double FULL_MASK_FILL = -(double) Float.MAX_VALUE;

    private BigBirdReference() {}

    static Map<String, long[]> shapes(RefConfig c, int vocab, int maxPositions, int typeVocab) {
        int h = c.hidden();
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put("embeddings.word_embeddings.weight", new long[] {vocab, h});
        s.put("embeddings.position_embeddings.weight", new long[] {maxPositions, h});
        s.put("embeddings.token_type_embeddings.weight", new long[] {typeVocab, h});
        Shapes.layerNorm(s, "embeddings.LayerNorm", h);
        for (int l = 0; l < c.layers(); l++) {
            String p = "encoder.layer." + l + ".attention.self.";
            for (String proj : new String[] {"query", "key", "value"}) {
                Shapes.linear(s, p + proj, h, h);
            }
            Shapes.bertSublayers(s, "encoder.layer." + l + ".", h, c.intermediate());
        }
        Shapes.linear(s, "pooler", h, h);
        return s;
    }

    /**
     * Whether {@code BigBirdModel.forward} runs block-sparse attention on inputs of {@code
     * length} (before padding): only if configured so and {@code length > (5 + 2r) · blockSize};
     * otherwise it switches to {@code original_full}.
     */
    static boolean runsBlockSparse(RefConfig c, int length) {
        return c.attentionType().equals(RefConfig.BLOCK_SPARSE)
                && length > (5 + 2 * c.numRandomBlocks()) * c.blockSize();
    }

    static RefOutputs run(RefConfig c, Map<String, float[]> weights, RefInputs in) {
        if (in.globalAttentionMask() != null) {
            throw new IllegalArgumentException("globalAttentionMask is for longformer only");
        }
        int h = c.hidden();
        Checkpoint w = new Checkpoint(
                weights,
                shapes(
                        c,
                        Checkpoint.tableRows(weights, "embeddings.word_embeddings.weight", h),
                        Checkpoint.tableRows(weights, "embeddings.position_embeddings.weight", h),
                        Checkpoint.tableRows(weights, "embeddings.token_type_embeddings.weight", h)));
        boolean sparse = runsBlockSparse(c, in.length());
        int length = in.length();
        int n = sparse ? length + (c.blockSize() - length % c.blockSize()) % c.blockSize() : length;
        int[][][][] layout = sparse ? layout(c, in.randomLayout(), n / c.blockSize()) : null;
        double[][][] last = new double[in.batch()][][];
        double[][] pooled = new double[in.batch()][];
        for (int b = 0; b < in.batch(); b++) {
            // _pad_to_block_size: pad id, attention mask 0, token type 0; positions stay 0..n-1.
            int[] ids = Arrays.copyOf(in.inputIds()[b], n);
            Arrays.fill(ids, length, n, c.padTokenId());
            int[] mask = new int[n];
            int[] types = new int[n];
            for (int i = 0; i < length; i++) {
                mask[i] = in.attentionMask() == null ? 1 : in.attentionMask()[b][i];
                types[i] = in.tokenTypeIds() == null ? 0 : in.tokenTypeIds()[b][i];
            }
            double[][] x = embeddings(c, w, ids, types);
            Activation act = Activation.of(c.hiddenAct());
            for (int l = 0; l < c.layers(); l++) {
                String p = "encoder.layer." + l + ".";
                double[][] context = sparse
                        ? blockSparseAttention(c, w, p + "attention.self.", x, mask, layout[l])
                        : fullAttention(c, w, p + "attention.self.", x, mask);
                double[][] a = BertSublayers.selfOutput(w, p + "attention.output", context, x, c.layerNormEps());
                x = BertSublayers.feedForward(w, p, a, act, c.layerNormEps());
            }
            pooled[b] = BertSublayers.pool(w, "pooler", x);
            last[b] = Arrays.copyOf(x, length);
        }
        return new RefOutputs(last, pooled);
    }

    /**
     * {@code BigBirdEmbeddings.forward}: {@code word · √hidden} (if {@code rescale_embeddings})
     * {@code + token_type + position} (positions {@code 0..n-1}), then {@code LayerNorm}.
     */
    private static double[][] embeddings(RefConfig c, Checkpoint w, int[] ids, int[] types) {
        double rescale = c.rescaleEmbeddings() ? Math.sqrt(c.hidden()) : 1;
        double[][] x = new double[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            double[] word = w.row("embeddings.word_embeddings.weight", ids[i]);
            double[] type = w.row("embeddings.token_type_embeddings.weight", types[i]);
            double[] position = w.row("embeddings.position_embeddings.weight", i);
            x[i] = new double[c.hidden()];
            for (int k = 0; k < c.hidden(); k++) {
                x[i][k] = word[k] * rescale + type[k] + position[k];
            }
        }
        return w.layerNorm("embeddings.LayerNorm", x, c.layerNormEps());
    }

    /**
     * {@code BigBirdSelfAttention} ({@code original_full}): every key, scores {@code q·k / √d +
     * (1 − mask_j) · finfo(float32).min}; rows are not masked.
     */
    private static double[][] fullAttention(RefConfig c, Checkpoint w, String p, double[][] x, int[] mask) {
        int n = x.length;
        int d = c.headDim();
        double[][] q = w.linear(p + "query", x);
        double[][] k = w.linear(p + "key", x);
        double[][] v = w.linear(p + "value", x);
        int[] keys = new int[n];
        double[] added = new double[n];
        for (int j = 0; j < n; j++) {
            keys[j] = j;
            added[j] = (1 - mask[j]) * FULL_MASK_FILL;
        }
        double[][] out = new double[n][c.hidden()];
        for (int i = 0; i < n; i++) {
            for (int head = 0; head < c.heads(); head++) {
                ListedKeyAttention.attend(q[i], k, v, head * d, d, keys, added, 1 / Math.sqrt(d), out[i]);
            }
        }
        return out;
    }

    /**
     * {@code bigbird_block_sparse_attention}: query row {@code i} of block {@code qb} attends the
     * tokens of {@link #keyBlocks}' list, with {@code q·k · (1/√d)} plus {@code −10000 · (1 −
     * to_mask[j])} for the blocks HF masks with {@code to_mask} and {@code −10000 · (1 −
     * from_mask[i] · to_mask[j])} for those it masks with {@code band_mask} / {@code rand_mask}
     * (both products of the query's and the key's mask); the row's output is then multiplied by
     * {@code from_mask[i]}.
     */
    private static double[][] blockSparseAttention(
            RefConfig c, Checkpoint w, String p, double[][] x, int[] mask, int[][][] table) {
        int n = x.length;
        int bs = c.blockSize();
        int nb = n / bs;
        int d = c.headDim();
        double[][] q = w.linear(p + "query", x);
        double[][] k = w.linear(p + "key", x);
        double[][] v = w.linear(p + "value", x);
        double[][] out = new double[n][c.hidden()];
        for (int head = 0; head < c.heads(); head++) {
            for (int qb = 0; qb < nb; qb++) {
                KeyBlocks list = keyBlocks(qb, nb, qb == 0 || qb == nb - 1 ? null : table[head][qb - 1]);
                int[] keys = new int[list.blocks().length * bs];
                for (int t = 0; t < list.blocks().length; t++) {
                    for (int j = 0; j < bs; j++) {
                        keys[t * bs + j] = list.blocks()[t] * bs + j;
                    }
                }
                for (int i = qb * bs; i < (qb + 1) * bs; i++) {
                    double[] added = new double[keys.length];
                    for (int t = 0; t < keys.length; t++) {
                        int j = keys[t];
                        int allowed = list.withQueryMask()[t / bs] ? mask[i] * mask[j] : mask[j];
                        added[t] = (1 - allowed) * SPARSE_PENALTY;
                    }
                    ListedKeyAttention.attend(q[i], k, v, head * d, d, keys, added, 1 / Math.sqrt(d), out[i]);
                    for (int f = head * d; f < (head + 1) * d; f++) {
                        out[i][f] *= mask[i];
                    }
                }
            }
        }
        return out;
    }

    /**
     * The key blocks of query block {@code qb} of {@code nb}, in HF's concatenation order, and
     * whether each is masked with the query's mask too. {@code random} is the layout row of the
     * head for {@code qb} ({@code rand_attn[h][qb - 1]}), unused for the first and last block.
     *
     * <ul>
     *   <li>{@code qb = 0} and {@code qb = nb − 1}: every block ({@code first_product}, {@code
     *       last_product}).
     *   <li>{@code qb = 1}: {@code 0, 1, 2, nb − 1}, then {@code random} ({@code
     *       second_key_mat}).
     *   <li>{@code 2 ≤ qb ≤ nb − 3}: {@code 0}, {@code qb − 1, qb, qb + 1}, {@code random}, {@code
     *       nb − 1} ({@code band_product}).
     *   <li>{@code qb = nb − 2}: {@code 0, nb − 3, nb − 2, nb − 1}, then {@code random} ({@code
     *       second_last_key_mat}).
     * </ul>
     */
    static KeyBlocks keyBlocks(int qb, int nb, int[] random) {
        if (qb == 0 || qb == nb - 1) {
            int[] all = new int[nb];
            Arrays.setAll(all, t -> t);
            return new KeyBlocks(all, new boolean[nb]);
        }
        int r = random.length;
        int[] blocks = new int[5 + r];
        boolean[] withQuery = new boolean[5 + r];
        if (qb == 1 || qb == nb - 2) {
            int[] fixed = qb == 1 ? new int[] {0, 1, 2, nb - 1} : new int[] {0, nb - 3, nb - 2, nb - 1};
            System.arraycopy(fixed, 0, blocks, 0, 4);
            System.arraycopy(random, 0, blocks, 4, r);
            Arrays.fill(withQuery, 4, 4 + r, true);
            return new KeyBlocks(Arrays.copyOf(blocks, 4 + r), Arrays.copyOf(withQuery, 4 + r));
        }
        blocks[0] = 0;
        blocks[1] = qb - 1;
        blocks[2] = qb;
        blocks[3] = qb + 1;
        System.arraycopy(random, 0, blocks, 4, r);
        blocks[4 + r] = nb - 1;
        Arrays.fill(withQuery, 1, 4 + r, true);
        return new KeyBlocks(blocks, withQuery);
    }

    /** Key blocks in order, duplicates kept, and whether each is masked with the query's mask. */
    record KeyBlocks(int[] blocks, boolean[] withQueryMask) {}

    /** The given per-layer tables, checked against {@code nb}, or all zeros (HF in eval mode). */
    private static int[][][][] layout(RefConfig c, int[][][][] given, int nb) {
        int r = c.numRandomBlocks();
        if (given == null) {
            return new int[c.layers()][c.heads()][nb - 2][r];
        }
        String expected = "[" + c.layers() + "][" + c.heads() + "][" + (nb - 2) + "][" + r + "]";
        if (given.length != c.layers()) {
            throw new IllegalArgumentException(
                    "randomLayout must be " + expected + ", has " + given.length + " layers");
        }
        for (int l = 0; l < given.length; l++) {
            if (given[l] == null || given[l].length != c.heads()) {
                throw new IllegalArgumentException(
                        "randomLayout[" + l + "] must have " + c.heads() + " heads (" + expected + ")");
            }
            for (int h = 0; h < c.heads(); h++) {
                if (given[l][h] == null || given[l][h].length != nb - 2) {
                    throw new IllegalArgumentException(
                            "randomLayout[" + l + "][" + h + "] must have " + (nb - 2) + " rows (" + expected + ")");
                }
                for (int row = 0; row < nb - 2; row++) {
                    int[] blocks = given[l][h][row];
                    if (blocks == null || blocks.length != r) {
                        throw new IllegalArgumentException("randomLayout[" + l + "][" + h + "][" + row + "] must have "
                                + r + " blocks (" + expected + ")");
                    }
                    for (int block : blocks) {
                        if (block < 0 || block >= nb) {
                            throw new IllegalArgumentException("randomLayout[" + l + "][" + h + "][" + row
                                    + "] holds block " + block + ", outside 0.." + (nb - 1));
                        }
                    }
                }
            }
        }
        return given;
    }
}
