package dev.attnc.runtime;

/**
 * Batch size, head count, sequence length and head dimension of one attention call, and the
 * number of key/value heads (grouped-query attention, HF's {@code num_key_value_heads}).
 *
 * <p>q and the output hold {@code heads} heads; k and v (and kg, vg) hold {@code kvHeads}
 * heads, and query head {@code h} reads key/value head {@code h / (heads / kvHeads)} (HF's
 * {@code repeat_kv} order, FlexAttention's {@code enable_gqa=True}). {@code kvHeads == heads}
 * is ordinary multi-head attention, {@code kvHeads == 1} multi-query attention.
 *
 * @param kvHeads key/value heads: at least 1 and dividing {@code heads}
 */
public record AttentionShape(int batch, int heads, int length, int headDim, int kvHeads) {

    public AttentionShape {
        positive("batch", batch);
        positive("heads", heads);
        positive("length", length);
        positive("headDim", headDim);
        positive("kvHeads", kvHeads);
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("k, v: " + kvHeads + " kv heads do not divide " + heads
                    + " query heads; expected k and v with G heads ([B, G, L, D] or [B, L, G·D]) where G divides "
                    + heads + " (query head h reads kv head h / (H / G))");
        }
        if ((long) batch * heads * length * headDim > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("shape [" + batch + ", " + heads + ", " + length + ", " + headDim
                    + "] has more than 2^31 elements; split the batch");
        }
    }

    /** Multi-head attention: k and v have as many heads as q. */
    public AttentionShape(int batch, int heads, int length, int headDim) {
        this(batch, heads, length, headDim, heads);
    }

    private static void positive(String what, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + v);
        }
    }

    /** Elements of one q or output tensor. */
    public int elements() {
        return batch * heads * length * headDim;
    }

    /** Elements of one k or v tensor ({@code B·G·L·D}). */
    public int kvElements() {
        return batch * kvHeads * length * headDim;
    }

    /** The shape of k and v: {@code kvHeads} heads (of which it is also the kv head count). */
    public AttentionShape kvShape() {
        return kvHeads == heads ? this : new AttentionShape(batch, kvHeads, length, headDim);
    }

    /** The key/value head query head {@code h} reads: {@code h / (heads / kvHeads)}. */
    public int kvHead(int h) {
        return h / (heads / kvHeads);
    }

    /** Query heads per key/value head, {@code heads / kvHeads}. */
    public int groupSize() {
        return heads / kvHeads;
    }

    /** Query (and key) blocks of size {@code block}: {@code ceil(length / block)}. */
    public int blocks(int block) {
        return (length + block - 1) / block;
    }
}
