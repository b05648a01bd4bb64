package dev.attnc.runtime;

import java.util.Objects;

/**
 * The inputs of one Fastformer additive-attention call (docs/DESIGN.md §3), validated when built.
 * Activations are token-major, {@code float[B·L·E]} with {@code E = H·d} ({@link #shape}: B, H,
 * L, d as for softmax attention):
 * <ul>
 *   <li>{@code q, k}, and {@code v} unless the value shares the query's weights (then {@code v = q});</li>
 *   <li>pooling weights: a full matrix {@code W_qa [H, E]} and {@code b_qa [H]} (the official
 *       code), or per-head vectors {@code w_q [H, d]} (the block-diagonal special case); the
 *       same for {@code W_ka}, {@code b_ka};</li>
 *   <li>optional output transform {@code W_r [E, E]}, {@code b_r [E]}: then
 *       {@code out = W_r u + b_r + q}; without it {@code out = u};</li>
 *   <li>optional {@code keyValid [B, L]}: padding gets no pooling weight and outputs 0.</li>
 * </ul>
 */
public final class AdditiveInputs extends TokenInputs {

    private final float[] wqa;
    private final float[] bqa;
    private final float[] wka;
    private final float[] bka;
    private final boolean perHeadVectors;
    private final float[] wr;
    private final float[] br;

    private AdditiveInputs(Builder b) {
        super(
                noGroups(b.shape),
                activations(b, "q", b.q),
                activations(b, "k", b.k),
                b.v == null ? b.q : activations(b, "v", b.v),
                b.keyValid);
        AttentionShape shape = b.shape;
        int heads = shape.heads();
        int headDim = shape.headDim();
        int e = heads * headDim;
        this.perHeadVectors = b.perHeadVectors;
        int w = perHeadVectors ? heads * headDim : heads * e;
        String wShape = perHeadVectors ? "[" + heads + ", " + headDim + "]" : "[" + heads + ", " + e + "]";
        this.wqa = InputChecks.floats(perHeadVectors ? "w_q" : "W_qa", b.wqa, w, wShape, true);
        this.wka = InputChecks.floats(perHeadVectors ? "w_k" : "W_ka", b.wka, w, wShape, true);
        this.bqa = b.bqa == null ? new float[heads] : InputChecks.floats("b_qa", b.bqa, heads, "[" + heads + "]", true);
        this.bka = b.bka == null ? new float[heads] : InputChecks.floats("b_ka", b.bka, heads, "[" + heads + "]", true);
        if ((b.wr == null) != (b.br == null)) {
            throw new IllegalArgumentException("W_r, b_r: give the output transform's matrix and bias together");
        }
        this.wr = InputChecks.floats("W_r", b.wr, e * e, "[" + e + ", " + e + "]", false);
        this.br = InputChecks.floats("b_r", b.br, e, "[" + e + "]", false);
        InputChecks.tokenMask("keyValid", b.keyValid, shape);
    }

    /** {@code s}, checked to have one kv head per head: additive pooling has no grouped-query form. */
    private static AttentionShape noGroups(AttentionShape s) {
        if (s.kvHeads() != s.heads()) {
            throw new IllegalArgumentException("k: additive pooling takes k with every head, [" + s.batch() + ", "
                    + s.length() + ", " + s.heads() * s.headDim() + "], not " + s.kvHeads() + " kv heads");
        }
        return s;
    }

    /** {@code a}, checked to hold activations {@code [B, L, H·d]} of the builder's shape. */
    private static float[] activations(Builder b, String name, float[] a) {
        return InputChecks.floats(name, a, b.shape.elements(), describe(b.shape), true);
    }

    /** The activations' shape as messages give it, {@code [B, L, H·d]}. */
    private static String describe(AttentionShape s) {
        return "[" + s.batch() + ", " + s.length() + ", " + s.heads() * s.headDim() + "]";
    }

    public static Builder builder(AttentionShape shape) {
        return new Builder(shape);
    }

    public boolean perHeadVectors() {
        return perHeadVectors;
    }

    public float[] wqa() {
        return wqa;
    }

    public float[] bqa() {
        return bqa;
    }

    public float[] wka() {
        return wka;
    }

    public float[] bka() {
        return bka;
    }

    /** The output transform, or null. */
    public float[] wr() {
        return wr;
    }

    public float[] br() {
        return br;
    }

    /**
     * Checks that {@code out} can take this call's output, {@code float [B, L, H·d]}.
     *
     * @throws IllegalArgumentException naming {@code out}, the expected and the actual size
     */
    public void checkOutput(float[] out) {
        InputChecks.output(out, shape().elements(), describe(shape()));
    }

    /** Builds and validates additive inputs. */
    public static final class Builder extends TokenInputs.Builder<Builder> {
        private float[] wqa;
        private float[] bqa;
        private float[] wka;
        private float[] bka;
        private boolean perHeadVectors;
        private float[] wr;
        private float[] br;

        private Builder(AttentionShape shape) {
            super(Objects.requireNonNull(shape, "shape"));
        }

        @Override
        Builder self() {
            return this;
        }

        /** Full pooling matrices {@code W_qa, W_ka [H, H·d]} and biases {@code [H]} (biases may be null). */
        public Builder poolingMatrices(float[] wqa, float[] bqa, float[] wka, float[] bka) {
            this.wqa = wqa;
            this.bqa = bqa;
            this.wka = wka;
            this.bka = bka;
            this.perHeadVectors = false;
            return this;
        }

        /** Per-head pooling vectors {@code w_q, w_k [H, d]} and biases {@code [H]} (biases may be null). */
        public Builder poolingVectors(float[] wq, float[] bq, float[] wk, float[] bk) {
            poolingMatrices(wq, bq, wk, bk);
            this.perHeadVectors = true;
            return this;
        }

        public Builder outputTransform(float[] wr, float[] br) {
            this.wr = wr;
            this.br = br;
            return this;
        }

        public AdditiveInputs build() {
            return new AdditiveInputs(this);
        }
    }
}
