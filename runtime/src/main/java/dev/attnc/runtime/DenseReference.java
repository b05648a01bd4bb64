package dev.attnc.runtime;

import java.util.Arrays;

/**
 * The oracle of every kernel test: attention computed naively, in double precision, from a
 * mask given pair by pair (built from the spec's semantics, not from the compiler's IR).
 * Memory and time are O(n²) per head: use it on small shapes.
 *
 * <p>Semantics (docs/DESIGN.md §3): for query {@code i}, {@code S(i)} = the keys the mask allows
 * that are valid; {@code out[i] = Σ_{j∈S(i)} softmax_j(scale · q[i]·k[j]) v[j]}, and 0 when
 * {@code S(i)} is empty or query {@code i} is padding. With separate global projections, a
 * global row ({@code globalRow}) uses {@code qg[i]}, {@code kg[j]}, {@code vg[j]} over every
 * valid key instead; other rows keep {@code q, k, v} (also for the global keys they attend).
 * {@link #logSumExp} gives each row's {@code ln Σ_{j∈S(i)} exp(scale · q[i]·k[j])} from the same
 * scores, for kernels that return it.
 */
public final class DenseReference {

    private DenseReference() {}

    /** Which query rows are global (the pattern's static globals and the runtime mask). */
    @FunctionalInterface
    public interface GlobalRows {
        boolean isGlobal(int batch, int head, int query);

        GlobalRows NONE = (b, h, i) -> false;
    }

    /**
     * The score of an allowed pair in natural units, from its dot product {@code q[i]·k[j]} (or
     * {@code qg[i]·kg[j]}): {@code scale · dot} by default; patterns with score modifiers (a
     * per-head scale, a soft cap, ALiBi biases) give their own.
     */
    @FunctionalInterface
    public interface Scores {
        double score(int batch, int head, int query, int key, double dot);

        /** {@code scale · dot}. */
        static Scores scaled(double scale) {
            return (b, h, i, j, dot) -> scale * dot;
        }
    }

    /** Attention of every batch item and head, in the inputs' layout, as doubles. */
    public static double[] attention(AttentionInputs in, MaskFunction mask, GlobalRows globalRows, double scale) {
        return attention(in, mask, globalRows, Scores.scaled(scale));
    }

    /** {@link #attention(AttentionInputs, MaskFunction, GlobalRows, double)} with modified scores. */
    public static double[] attention(AttentionInputs in, MaskFunction mask, GlobalRows globalRows, Scores scale) {
        AttentionShape s = in.shape();
        TensorLayout lay = in.layout();
        int n = s.length();
        int d = s.headDim();
        double[] out = new double[s.elements()];
        double[] scores = new double[n];
        boolean[] use = new boolean[n];
        for (int b = 0; b < s.batch(); b++) {
            for (int h = 0; h < s.heads(); h++) {
                for (int i = 0; i < n; i++) {
                    boolean global = usesGlobalProjections(in, globalRows, b, h, i);
                    double max = scores(in, mask, global, scale, b, h, i, scores, use);
                    if (isEmpty(use)) {
                        continue;
                    }
                    float[] vs = global ? in.vg() : in.v();
                    double sum = 0;
                    for (int j = 0; j < n; j++) {
                        if (use[j]) {
                            scores[j] = Math.exp(scores[j] - max);
                            sum += scores[j];
                        }
                    }
                    for (int j = 0; j < n; j++) {
                        if (!use[j]) {
                            continue;
                        }
                        double p = scores[j] / sum;
                        for (int x = 0; x < d; x++) {
                            out[(int) lay.index(s, b, h, i, x)] += p * vs[kvIndex(in, b, h, j, x)];
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * The natural-log log-sum-exp of every row's scaled scores, {@code ln Σ_{j∈S(i)} exp(scale ·
     * q[i]·k[j])} (qg, kg for global rows when given), at {@code (b·H + h)·L + i}, as doubles
     * (computed stably, as {@code max + ln Σ exp(score − max)}); {@code -∞} when {@code S(i)} is
     * empty or query {@code i} is padding.
     */
    public static double[] logSumExp(AttentionInputs in, MaskFunction mask, GlobalRows globalRows, double scale) {
        return logSumExp(in, mask, globalRows, Scores.scaled(scale));
    }

    /** {@link #logSumExp(AttentionInputs, MaskFunction, GlobalRows, double)} with modified scores. */
    public static double[] logSumExp(AttentionInputs in, MaskFunction mask, GlobalRows globalRows, Scores scale) {
        AttentionShape s = in.shape();
        int n = s.length();
        double[] lse = new double[s.batch() * s.heads() * n];
        double[] scores = new double[n];
        boolean[] use = new boolean[n];
        for (int b = 0; b < s.batch(); b++) {
            for (int h = 0; h < s.heads(); h++) {
                for (int i = 0; i < n; i++) {
                    boolean global = usesGlobalProjections(in, globalRows, b, h, i);
                    double max = scores(in, mask, global, scale, b, h, i, scores, use);
                    double sum = 0;
                    for (int j = 0; j < n; j++) {
                        if (use[j]) {
                            sum += Math.exp(scores[j] - max);
                        }
                    }
                    lse[(b * s.heads() + h) * n + i] =
                            max == Double.NEGATIVE_INFINITY ? Double.NEGATIVE_INFINITY : max + Math.log(sum);
                }
            }
        }
        return lse;
    }

    /**
     * Index of element {@code x} of key {@code j} that query head {@code h} reads in k, v (kg,
     * vg): written out here rather than taken from the shape's helpers, so that the reference
     * states the grouped-query rule itself. k and v hold {@code G} heads; head {@code h} reads
     * kv head {@code h / (H / G)} (HF {@code repeat_kv}: query heads {@code g·H/G .. (g+1)·H/G − 1}
     * share kv head {@code g}).
     */
    private static int kvIndex(AttentionInputs in, int b, int h, int j, int x) {
        AttentionShape s = in.shape();
        int heads = s.heads();
        int kvHeads = s.kvHeads();
        int g = h / (heads / kvHeads);
        long at = in.layout() == TensorLayout.BHLD
                ? (((long) b * kvHeads + g) * s.length() + j) * s.headDim() + x
                : (((long) b * s.length() + j) * kvHeads + g) * s.headDim() + x;
        return (int) at;
    }

    private static boolean isEmpty(boolean[] use) {
        for (boolean u : use) {
            if (u) {
                return false;
            }
        }
        return true;
    }

    private static boolean usesGlobalProjections(AttentionInputs in, GlobalRows globalRows, int b, int h, int i) {
        return in.hasGlobalProjections() && globalRows.isGlobal(b, h, i);
    }

    /**
     * Row {@code i}'s scaled scores into {@code scores[j]} for the keys of {@code S(i)}, which
     * {@code use} flags (all false when {@code S(i)} is empty or query {@code i} is padding):
     * from qg, kg over every valid key when {@code global}, else from q, k over the keys
     * {@code mask} allows. Returns their maximum, {@code -∞} when there is none.
     */
    private static double scores(
            AttentionInputs in,
            MaskFunction mask,
            boolean global,
            Scores scale,
            int b,
            int h,
            int i,
            double[] scores,
            boolean[] use) {
        AttentionShape s = in.shape();
        TensorLayout lay = in.layout();
        int n = s.length();
        int d = s.headDim();
        if (!in.isValid(b, i)) {
            Arrays.fill(use, false);
            return Double.NEGATIVE_INFINITY;
        }
        float[] qs = global ? in.qg() : in.q();
        float[] ks = global ? in.kg() : in.k();
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            use[j] = in.isValid(b, j) && (global || mask.allowed(b, h, i, j));
            if (!use[j]) {
                continue;
            }
            double dot = 0;
            for (int x = 0; x < d; x++) {
                dot += (double) qs[(int) lay.index(s, b, h, i, x)] * ks[kvIndex(in, b, h, j, x)];
            }
            scores[j] = scale.score(b, h, i, j, dot);
            max = Math.max(max, scores[j]);
        }
        return max;
    }
}
