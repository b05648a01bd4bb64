package dev.attnc.runtime;

/**
 * How q, k, v (and the output) are laid out in their float arrays. Both are read in place,
 * without copying.
 */
public enum TensorLayout {
    /** {@code [B, H, L, D]}: head-major, as attention kernels usually want it. */
    BHLD,
    /** {@code [B, L, H·D]}: token-major, as Q/K/V projections produce it. */
    BLHD;

    /** The flat index of element {@code d} of token {@code i} of head {@code h} of batch item {@code b}. */
    public long index(AttentionShape s, int b, int h, int i, int d) {
        if (this == BHLD) {
            return (((long) b * s.heads() + h) * s.length() + i) * s.headDim() + d;
        }
        return (((long) b * s.length() + i) * s.heads() + h) * s.headDim() + d;
    }

    /** The shape as a user reads it, e.g. {@code [2, 12, 4096, 64]}. */
    public String describe(AttentionShape s) {
        return this == BHLD
                ? "[" + s.batch() + ", " + s.heads() + ", " + s.length() + ", " + s.headDim() + "]"
                : "[" + s.batch() + ", " + s.length() + ", " + s.heads() * s.headDim() + "]";
    }
}
