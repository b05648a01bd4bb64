package dev.attnc.runtime.nn;

import java.util.stream.IntStream;

/**
 * Token embeddings: {@code LayerNorm(scale·word[id] + position[pos] + tokenType[type])}, as BERT,
 * RoBERTa/Longformer, BigBird and Fastformer compute them (without dropout: inference).
 * Immutable, thread-safe.
 */
public final class Embeddings {

    private final float[] word; // [vocab, hidden]
    private final float[] position; // [maxPositions, hidden]
    private final float[] tokenType; // [types, hidden] or null
    private final LayerNorm norm;
    private final Positions positions;
    private final float wordScale;
    private final int hidden;

    /**
     * @param word {@code [vocab, hidden]}
     * @param position {@code [maxPositions, hidden]}
     * @param tokenType {@code [types, hidden]}, or null when the model has none (Fastformer)
     * @param wordScale multiplies the word embedding (BigBird's {@code rescale_embeddings}: {@code
     *     sqrt(hidden)}; else 1)
     */
    public Embeddings(
            float[] word, float[] position, float[] tokenType, LayerNorm norm, Positions positions, float wordScale) {
        this.hidden = norm.dim();
        check("word_embeddings", word, hidden);
        check("position_embeddings", position, hidden);
        if (tokenType != null) {
            check("token_type_embeddings", tokenType, hidden);
        }
        this.word = word;
        this.position = position;
        this.tokenType = tokenType;
        this.norm = norm;
        this.positions = positions;
        this.wordScale = wordScale;
    }

    private static void check(String what, float[] table, int hidden) {
        if (table.length == 0 || table.length % hidden != 0) {
            throw new IllegalArgumentException(
                    what + ": expected [rows, " + hidden + "] floats, got " + table.length + " floats");
        }
    }

    public int hidden() {
        return hidden;
    }

    public int vocabSize() {
        return word.length / hidden;
    }

    public int maxPositions() {
        return position.length / hidden;
    }

    public int typeVocabSize() {
        return tokenType == null ? 0 : tokenType.length / hidden;
    }

    public Positions positions() {
        return positions;
    }

    /**
     * Checks ids, token types and the length against the tables.
     *
     * @throws IllegalArgumentException naming the input, its index and the allowed range
     */
    public void check(int[] ids, int[] types, int batch, int length) {
        int vocab = vocabSize();
        for (int t = 0; t < batch * length; t++) {
            if (ids[t] < 0 || ids[t] >= vocab) {
                throw new IllegalArgumentException("input_ids[" + t / length + ", " + t % length + "] = " + ids[t]
                        + " is outside the vocabulary 0.." + (vocab - 1));
            }
        }
        if (types != null) {
            int nt = typeVocabSize();
            if (nt == 0) {
                throw new IllegalArgumentException("token_type_ids: this model has no token type embeddings");
            }
            for (int t = 0; t < batch * length; t++) {
                if (types[t] < 0 || types[t] >= nt) {
                    throw new IllegalArgumentException("token_type_ids[" + t / length + ", " + t % length + "] = "
                            + types[t] + " is outside 0.." + (nt - 1));
                }
            }
        }
        int largest = positions.largest(length);
        if (largest >= maxPositions()) {
            throw new IllegalArgumentException("length " + length + " needs position " + largest
                    + " but the model has max_position_embeddings = " + maxPositions()
                    + (positions.roberta()
                            ? " (RoBERTa positions start at pad_token_id + 1 = " + (positions.paddingIdx() + 1)
                                    + "; at most " + (maxPositions() - 1 - positions.paddingIdx()) + " tokens)"
                            : " (at most " + maxPositions() + " tokens)"));
        }
    }

    /**
     * {@code out [batch·length, hidden]} = the embeddings of {@code ids [batch, length]}; {@code
     * types} may be null (type 0 everywhere, when the model has token types).
     */
    public void forward(int[] ids, int[] types, int batch, int length, float[] out) {
        check(ids, types, batch, length);
        IntStream.range(0, batch).forEach(b -> {
            int[] pos = new int[length];
            positions.fill(ids, b * length, length, pos);
            IntStream.range(0, length).parallel().forEach(i -> {
                int t = b * length + i;
                int o = t * hidden;
                int w = ids[t] * hidden;
                int p = pos[i] * hidden;
                int y = tokenType == null ? -1 : (types == null ? 0 : types[t]) * hidden;
                for (int c = 0; c < hidden; c++) {
                    float e = word[w + c] * wordScale + position[p + c];
                    out[o + c] = y < 0 ? e : e + tokenType[y + c];
                }
            });
        });
        norm.apply(out, batch * length);
    }
}
