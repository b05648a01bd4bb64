package dev.attnc.runtime;

import java.util.Arrays;
import java.util.Objects;

/**
 * The inputs of one softmax-attention call, validated when built: every array must have the
 * size its shape and layout imply, and a wrong one is named with the expected and the actual
 * shape. Arrays are used in place (not copied): callers must not change them during a call.
 *
 * <ul>
 *   <li>{@code q}: {@code float[B·H·L·D]} in {@link #layout()}; {@code k, v}:
 *       {@code float[B·G·L·D]}, G = {@link AttentionShape#kvHeads()} (= H unless the shape
 *       says grouped-query attention);</li>
 *   <li>{@code qg, kg, vg} (optional, all or none): Longformer's separate projections for
 *       global rows, shaped and laid out as q, k, v;</li>
 *   <li>{@code globalMask} (optional): {@code boolean[B·L]}, tokens that are global for this
 *       batch item (the spec's {@code global from input});</li>
 *   <li>{@code keyValid} (optional): {@code boolean[B·L]}, false for padding; invalid keys are
 *       excluded everywhere and invalid query rows output 0;</li>
 *   <li>{@code randomLayout} (optional): {@code int[H·nQueryBlocks·r]}, the spec's
 *       {@code random from input} key blocks per head and query block;</li>
 *   <li>{@code segmentIds} (optional): {@code int[B·L]}, the segment of each token of a packed
 *       sequence (the spec's {@code segments from input}); any int values, equal ids are one
 *       segment even in runs that are not adjacent;</li>
 *   <li>{@code prefixLengths} (optional): {@code int[B]}, each in {@code 0..L}, the run-time
 *       prefix of the spec's {@code keys from input} / {@code queries from input} sets (tokens
 *       {@code 0 .. prefixLengths[b] - 1}; input {@code prefix_len} on the command line);</li>
 *   <li>{@code layer}: which layer's per-layer settings apply (default 0).</li>
 * </ul>
 */
public final class AttentionInputs extends TokenInputs {

    private final TensorLayout layout;
    private final float[] qg;
    private final float[] kg;
    private final float[] vg;
    private final boolean[] globalMask;
    private final int[] randomLayout;
    private final int randomPerRow;
    private final int[] prefixLengths;
    private final int layer;
    private final int[] segmentIds;
    /** {@link SegmentRuns} per batch item, built on first use (immutable, so a racing rebuild is harmless). */
    private final SegmentRuns[] segmentRuns;

    private AttentionInputs(Builder b) {
        super(
                b.shape,
                tensor(b, "q", b.q, true, false),
                tensor(b, "k", b.k, true, true),
                tensor(b, "v", b.v, true, true),
                b.keyValid);
        this.layout = b.layout;
        AttentionShape shape = b.shape;
        int given = (b.qg != null ? 1 : 0) + (b.kg != null ? 1 : 0) + (b.vg != null ? 1 : 0);
        if (given != 0 && given != 3) {
            throw new IllegalArgumentException("qg, kg, vg: give all three separate global projections or none (got "
                    + ((b.qg != null ? "qg " : "") + (b.kg != null ? "kg " : "") + (b.vg != null ? "vg" : "")).trim()
                    + ")");
        }
        this.qg = tensor(b, "qg", b.qg, false, false);
        this.kg = tensor(b, "kg", b.kg, false, true);
        this.vg = tensor(b, "vg", b.vg, false, true);
        this.globalMask = InputChecks.tokenMask("globalMask", b.globalMask, shape);
        InputChecks.tokenMask("keyValid", b.keyValid, shape);
        if (b.layer < 0) {
            throw new IllegalArgumentException("layer must be >= 0, got " + b.layer);
        }
        this.layer = b.layer;
        if (b.segmentIds != null && b.segmentIds.length != (long) shape.batch() * shape.length()) {
            throw new IllegalArgumentException("segmentIds: expected int[B, L] = [" + shape.batch() + ", "
                    + shape.length() + "] (" + (long) shape.batch() * shape.length() + " ints), got "
                    + b.segmentIds.length + " ints");
        }
        this.segmentIds = b.segmentIds;
        this.segmentRuns = b.segmentIds == null ? null : new SegmentRuns[shape.batch()];
        this.prefixLengths = prefixLengths(b.prefixLengths, shape);
        this.randomLayout = b.randomLayout;
        this.randomPerRow = b.randomPerRow;
        if (b.randomLayout != null) {
            if (b.randomBlock < 1 || b.randomPerRow < 0) {
                throw new IllegalArgumentException("randomLayout: block size must be >= 1 and r >= 0, got block "
                        + b.randomBlock + ", r " + b.randomPerRow);
            }
            long want = (long) shape.heads() * shape.blocks(b.randomBlock) * b.randomPerRow;
            if (b.randomLayout.length != want) {
                throw new IllegalArgumentException(
                        "randomLayout: expected int[H·nQueryBlocks·r] = [" + shape.heads() + ", "
                                + shape.blocks(b.randomBlock) + ", " + b.randomPerRow + "] (" + want + " ints), got "
                                + b.randomLayout.length + " ints");
            }
        }
    }

    /** {@code lengths} (may be null), checked to hold one length in {@code 0..L} per batch item. */
    private static int[] prefixLengths(int[] lengths, AttentionShape shape) {
        if (lengths == null) {
            return null;
        }
        if (lengths.length != shape.batch()) {
            throw new IllegalArgumentException("prefixLengths (prefix_len): expected int [B] = [" + shape.batch()
                    + "] (one prefix length per batch item), got " + lengths.length + " values");
        }
        for (int b = 0; b < lengths.length; b++) {
            if (lengths[b] < 0 || lengths[b] > shape.length()) {
                throw new IllegalArgumentException("prefixLengths (prefix_len)[" + b + "] = " + lengths[b]
                        + " is outside 0.." + shape.length() + " (the sequence length L)");
            }
        }
        return lengths;
    }

    /**
     * {@code a}, checked to hold a tensor of the builder's shape and layout (both checked first):
     * with the query heads, or with the kv heads when {@code kv} (k, v, kg, vg).
     */
    private static float[] tensor(Builder b, String name, float[] a, boolean required, boolean kv) {
        AttentionShape shape = Objects.requireNonNull(b.shape, "shape");
        TensorLayout layout = Objects.requireNonNull(b.layout, "layout");
        AttentionShape of = kv ? shape.kvShape() : shape;
        String heads = kv && shape.kvHeads() != shape.heads() ? " (" + shape.kvHeads() + " kv heads)" : "";
        return InputChecks.floats(
                name, a, of.elements(), layout.describe(of) + " in layout " + layout + heads, required);
    }

    public static Builder builder(AttentionShape shape, TensorLayout layout) {
        return new Builder(shape, layout);
    }

    public TensorLayout layout() {
        return layout;
    }

    /**
     * Checks that {@code out} can take this call's output: as many floats as q, in q's layout.
     *
     * @throws IllegalArgumentException naming {@code out}, the expected and the actual size
     */
    public void checkOutput(float[] out) {
        InputChecks.output(out, shape().elements(), layout.describe(shape()));
    }

    /**
     * Checks that {@code lse} can take this call's per-row log-sum-exp
     * ({@link AttentionKernel#compute(AttentionInputs, float[], float[])}): {@code B·H·L} floats,
     * row {@code i} of batch item {@code b}, head {@code h} at {@code (b·H + h)·L + i} in either layout.
     *
     * @throws IllegalArgumentException naming {@code lse}, the expected and the actual size
     */
    public void checkLogSumExp(float[] lse) {
        AttentionShape s = shape();
        InputChecks.floats(
                "lse",
                lse,
                s.batch() * s.heads() * s.length(),
                "[B, H, L] = [" + s.batch() + ", " + s.heads() + ", " + s.length() + "]",
                true);
    }

    /** True when the separate global projections were given. */
    public boolean hasGlobalProjections() {
        return qg != null;
    }

    public float[] qg() {
        return qg;
    }

    public float[] kg() {
        return kg;
    }

    public float[] vg() {
        return vg;
    }

    public int layer() {
        return layer;
    }

    /** Whether token {@code i} of batch item {@code b} is global by the runtime mask. */
    public boolean isRuntimeGlobal(int b, int i) {
        return globalMask != null && globalMask[b * shape().length() + i];
    }

    /** The runtime global mask {@code boolean[B·L]} as given (shared, not copied), or null. */
    public boolean[] globalMask() {
        return globalMask;
    }

    public boolean hasGlobalMask() {
        return globalMask != null;
    }

    /** True when the per-item prefix lengths were given. */
    public boolean hasPrefixLengths() {
        return prefixLengths != null;
    }

    /**
     * The prefix length of batch item {@code b} ({@code 0..L}): the tokens of a {@code keys from
     * input} or {@code queries from input} set.
     *
     * @throws IllegalArgumentException when no prefix lengths were given (a pattern with such a
     *     set needs them), naming the argument and its expected shape
     */
    public int prefixLength(int b) {
        if (prefixLengths == null) {
            throw new IllegalArgumentException("prefixLengths (prefix_len) is missing: the pattern has a 'keys from "
                    + "input' or 'queries from input' set; expected int [B] = [" + shape().batch()
                    + "], one prefix length in 0.." + shape().length() + " per batch item");
        }
        return prefixLengths[b];
    }

    /** The explicit random layout, or null. */
    public int[] randomLayout() {
        return randomLayout;
    }

    public int randomPerRow() {
        return randomPerRow;
    }

    /** The segment ids {@code int[B·L]} as given (shared, not copied), or null. */
    public int[] segmentIds() {
        return segmentIds;
    }

    public boolean hasSegmentIds() {
        return segmentIds != null;
    }

    /**
     * The segments of batch item {@code b}, built once per batch item and shared by all heads.
     *
     * @throws IllegalStateException when no segment ids were given
     */
    public SegmentRuns segments(int b) {
        if (segmentIds == null) {
            throw new IllegalStateException("segmentIds were not given");
        }
        SegmentRuns s = segmentRuns[b];
        if (s == null) {
            s = SegmentRuns.of(segmentIds, b * shape().length(), shape().length());
            segmentRuns[b] = s;
        }
        return s;
    }

    /** Builds and validates inputs. */
    public static final class Builder extends TokenInputs.Builder<Builder> {
        private final TensorLayout layout;
        private float[] qg;
        private float[] kg;
        private float[] vg;
        private boolean[] globalMask;
        private int[] randomLayout;
        private int randomBlock;
        private int randomPerRow;
        private int[] prefixLengths;
        private int layer;
        private int[] segmentIds;

        private Builder(AttentionShape shape, TensorLayout layout) {
            super(shape);
            this.layout = layout;
        }

        @Override
        Builder self() {
            return this;
        }

        public Builder globalProjections(float[] qg, float[] kg, float[] vg) {
            this.qg = qg;
            this.kg = kg;
            this.vg = vg;
            return this;
        }

        public Builder globalMask(boolean[] m) {
            this.globalMask = m;
            return this;
        }

        /** Padding as lengths per batch item: token {@code i} of item {@code b} is valid when {@code i < lengths[b]}. */
        public Builder validLengths(int... lengths) {
            if (lengths.length != shape.batch()) {
                throw new IllegalArgumentException("validLengths: expected " + shape.batch()
                        + " lengths (one per batch item), got " + lengths.length);
            }
            boolean[] m = new boolean[shape.batch() * shape.length()];
            for (int b = 0; b < lengths.length; b++) {
                if (lengths[b] < 0 || lengths[b] > shape.length()) {
                    throw new IllegalArgumentException(
                            "validLengths[" + b + "] = " + lengths[b] + " is outside 0.." + shape.length());
                }
                Arrays.fill(m, b * shape.length(), b * shape.length() + lengths[b], true);
            }
            this.keyValid = m;
            return this;
        }

        public Builder randomLayout(int[] layout, int block, int perRow) {
            this.randomLayout = layout;
            this.randomBlock = block;
            this.randomPerRow = perRow;
            return this;
        }

        /**
         * The segment of each token, {@code int[B·L]} (batch item {@code b}, token {@code i} at
         * {@code b·L + i}), for {@code segments from input}: a pair attends only within a segment.
         * Any int values; equal ids are one segment even when their runs are not adjacent.
         */
        public Builder segmentIds(int[] ids) {
            this.segmentIds = ids;
            return this;
        }

        /**
         * The run-time prefix per batch item ({@code int[B]}, each in {@code 0..L}): the tokens
         * {@code 0 .. lengths[b] - 1} of the spec's {@code keys from input} and {@code queries
         * from input} sets (FlexAttention's {@code prefix_len[b]}). Used in place, not copied.
         */
        public Builder prefixLengths(int... lengths) {
            this.prefixLengths = lengths;
            return this;
        }

        public Builder layer(int layer) {
            this.layer = layer;
            return this;
        }

        public AttentionInputs build() {
            return new AttentionInputs(this);
        }
    }
}
