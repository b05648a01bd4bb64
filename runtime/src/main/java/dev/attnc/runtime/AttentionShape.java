package dev.attnc.runtime;

/** Batch size, head count, sequence length and head dimension of one attention call. */
public record AttentionShape(int batch, int heads, int length, int headDim) {

    public AttentionShape {
        positive("batch", batch);
        positive("heads", heads);
        positive("length", length);
        positive("headDim", headDim);
        if ((long) batch * heads * length * headDim > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("shape [" + batch + ", " + heads + ", " + length + ", " + headDim
                    + "] has more than 2^31 elements; split the batch");
        }
    }

    private static void positive(String what, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + v);
        }
    }

    /** Elements of one q, k, v or output tensor. */
    public int elements() {
        return batch * heads * length * headDim;
    }

    /** Query (and key) blocks of size {@code block}: {@code ceil(length / block)}. */
    public int blocks(int block) {
        return (length + block - 1) / block;
    }
}
