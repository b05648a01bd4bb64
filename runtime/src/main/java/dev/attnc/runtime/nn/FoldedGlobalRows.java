package dev.attnc.runtime.nn;

import dev.attnc.runtime.kernel.VectorMath;
import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Longformer's global rows without projecting every token's global key and value: for global
 * row {@code i} and head {@code h}, {@code s·qg_i·kg_j = s·(W_kgᵀ qg_i)·x_j + s·qg_i·b_kg}, and the
 * constant drops out of the softmax over {@code j}; the output {@code Σ p_j vg_j = W_vg (Σ p_j
 * x_j) + b_vg} since {@code Σ p_j = 1}. So a global row costs {@code O(n·hidden)} per head instead
 * of the two {@code n × hidden × hidden} projections: with {@code G} global tokens, {@code
 * 4·G·H·n·hidden} flops against {@code 4·n·hidden²}. {@link #worthIt} chooses.
 */
final class FoldedGlobalRows {

    private static final VectorSpecies<Float> S = VectorMath.SPECIES;

    private FoldedGlobalRows() {}

    /** Whether folding beats projecting every token: {@code G·H < hidden / 2}. */
    static boolean worthIt(int globalRowsPerItem, int heads, int hidden) {
        return (long) globalRowsPerItem * heads * 2 < hidden;
    }

    /**
     * Overwrites the context of every global row.
     *
     * @param x the layer's input {@code [B·L, hidden]}
     * @param qg the global queries of the global rows {@code [B·L, hidden]} (others unused)
     */
    static void apply(EncoderCall call, GlobalProjections g, int heads, float[] x, float[] qg, float[] context) {
        int hidden = g.keyWeight().length / g.key().outFeatures();
        int hd = g.key().outFeatures();
        int d = hd / heads;
        int n = call.length();
        boolean[] global = call.globalMask();
        int[] rows = IntStream.range(0, call.rows()).filter(t -> global[t]).toArray();
        float scale = (float) (1.0 / Math.sqrt(d));
        IntStream.range(0, rows.length * heads).parallel().forEach(task -> {
            int t = rows[task / heads];
            int h = task % heads;
            int b = t / n;
            float[] a = new float[hidden];
            // a = W_kg[h·d .. h·d+d, :]ᵀ · qg_t[h]
            for (int r = 0; r < d; r++) {
                axpy(qg[t * hd + h * d + r], g.keyWeight(), (h * d + r) * hidden, a, 0, hidden);
            }
            float[] p = new float[n];
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                if (call.keyValid()[b * n + j]) {
                    p[j] = scale * dot(a, 0, x, (b * n + j) * hidden, hidden);
                    max = Math.max(max, p[j]);
                }
            }
            double sum = 0;
            for (int j = 0; j < n; j++) {
                if (call.keyValid()[b * n + j]) {
                    p[j] = (float) Math.exp(p[j] - max);
                    sum += p[j];
                } else {
                    p[j] = 0f;
                }
            }
            float[] m = new float[hidden];
            float inv = (float) (1.0 / sum);
            for (int j = 0; j < n; j++) {
                if (p[j] != 0f) {
                    axpy(p[j] * inv, x, (b * n + j) * hidden, m, 0, hidden);
                }
            }
            for (int r = 0; r < d; r++) {
                int o = h * d + r;
                float bias = g.valueBias() == null ? 0f : g.valueBias()[o];
                context[t * hd + o] = dot(g.valueWeight(), o * hidden, m, 0, hidden) + bias;
            }
        });
    }

    static float dot(float[] a, int ao, float[] b, int bo, int len) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int upper = S.loopBound(len); i < upper; i += S.length()) {
            acc = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), acc);
        }
        float s = VectorMath.sum(acc);
        for (; i < len; i++) {
            s += a[ao + i] * b[bo + i];
        }
        return s;
    }

    static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int len) {
        FloatVector av = FloatVector.broadcast(S, alpha);
        int i = 0;
        for (int upper = S.loopBound(len); i < upper; i += S.length()) {
            FloatVector.fromArray(S, x, xo + i)
                    .fma(av, FloatVector.fromArray(S, y, yo + i))
                    .intoArray(y, yo + i);
        }
        for (; i < len; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }
}
