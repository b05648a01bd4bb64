package dev.attnc.runtime;

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
 */
public final class DenseReference {

    private DenseReference() {}

    /** Which query rows are global (the pattern's static globals and the runtime mask). */
    @FunctionalInterface
    public interface GlobalRows {
        boolean isGlobal(int batch, int head, int query);

        GlobalRows NONE = (b, h, i) -> false;
    }

    /** Attention of every batch item and head, in the inputs' layout, as doubles. */
    public static double[] attention(AttentionInputs in, MaskFunction mask, GlobalRows globalRows, double scale) {
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
                    if (!in.isValid(b, i)) {
                        continue;
                    }
                    boolean global = in.hasGlobalProjections() && globalRows.isGlobal(b, h, i);
                    float[] qs = global ? in.qg() : in.q();
                    float[] ks = global ? in.kg() : in.k();
                    float[] vs = global ? in.vg() : in.v();
                    double max = Double.NEGATIVE_INFINITY;
                    boolean any = false;
                    for (int j = 0; j < n; j++) {
                        use[j] = in.isValid(b, j) && (global || mask.allowed(b, h, i, j));
                        if (!use[j]) {
                            continue;
                        }
                        double dot = 0;
                        for (int x = 0; x < d; x++) {
                            dot += (double) qs[(int) lay.index(s, b, h, i, x)] * ks[(int) lay.index(s, b, h, j, x)];
                        }
                        scores[j] = scale * dot;
                        max = Math.max(max, scores[j]);
                        any = true;
                    }
                    if (!any) {
                        continue;
                    }
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
                            out[(int) lay.index(s, b, h, i, x)] += p * vs[(int) lay.index(s, b, h, j, x)];
                        }
                    }
                }
            }
        }
        return out;
    }
}
