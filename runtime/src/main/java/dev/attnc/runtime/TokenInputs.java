package dev.attnc.runtime;

/**
 * What the inputs of every attention call hold, softmax ({@link AttentionInputs}) or additive
 * ({@link AdditiveInputs}): the shape, {@code q, k, v} (validated by the subclass, whose
 * messages give its layout) and the optional key-valid mask {@code boolean[B·L]}, false for
 * padding. Arrays are used in place (not copied).
 */
abstract sealed class TokenInputs permits AttentionInputs, AdditiveInputs {

    private final AttentionShape shape;
    private final float[] q;
    private final float[] k;
    private final float[] v;
    private final boolean[] keyValid;

    /** {@code keyValid} as given; the subclass checks it ({@link InputChecks#tokenMask}) in its own order. */
    TokenInputs(AttentionShape shape, float[] q, float[] k, float[] v, boolean[] keyValid) {
        this.shape = shape;
        this.q = q;
        this.k = k;
        this.v = v;
        this.keyValid = keyValid;
    }

    /** Batch, heads, length and head dim; q, k, v and the output hold {@code shape().elements()} floats. */
    public AttentionShape shape() {
        return shape;
    }

    public float[] q() {
        return q;
    }

    public float[] k() {
        return k;
    }

    public float[] v() {
        return v;
    }

    /** Whether token {@code i} of batch item {@code b} is a real token (not padding). */
    public boolean isValid(int b, int i) {
        return keyValid == null || keyValid[b * shape.length() + i];
    }

    public boolean hasKeyValid() {
        return keyValid != null;
    }

    /** The builder parts both kinds of inputs share. */
    abstract static class Builder<B extends Builder<B>> {
        final AttentionShape shape;
        float[] q;
        float[] k;
        float[] v;
        boolean[] keyValid;

        Builder(AttentionShape shape) {
            this.shape = shape;
        }

        abstract B self();

        /** The activations; for additive inputs {@code v} may be null: the value shares the query's weights ({@code v = q}). */
        public B qkv(float[] q, float[] k, float[] v) {
            this.q = q;
            this.k = k;
            this.v = v;
            return self();
        }

        /** {@code boolean[B·L]}, false for padding (null: every token is real). */
        public B keyValid(boolean[] m) {
            this.keyValid = m;
            return self();
        }
    }
}
