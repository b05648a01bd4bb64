package dev.attnc.runtime.kernel;

import dev.attnc.runtime.AdditiveInputs;
import dev.attnc.runtime.AdditiveKernel;
import dev.attnc.runtime.AttentionShape;
import java.util.Arrays;
import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The engine under every generated Fastformer kernel, O(n·E) time for the pooling and
 * O(n·H) extra memory (one score per token and head), following the official code as
 * docs/DESIGN.md §3 states it:
 * <pre>
 *   α = softmax_i((W_qa·q_i + b_qa)·scale)    g_q = Σ α_i q_i           (per head)
 *   β = softmax_i((W_ka·p_i + b_ka)·scale)    g_k = Σ β_i p_i,  p_i = g_q ⊙ k_i
 *   out_i = W_r (g_k ⊙ v_i) + b_r + q_i       (or g_k ⊙ v_i without W_r)
 * </pre>
 * {@code p_i} is recomputed where needed rather than stored. Dot products are vectorised on
 * {@link VectorMath#SPECIES}; batch items run in parallel for the pooling, tokens in parallel
 * for the output. Padding tokens get no pooling weight and output 0.
 */
public abstract class AdditiveAttentionKernel implements AdditiveKernel {

    private static final VectorSpecies<Float> S = VectorMath.SPECIES;
    private static final int LANES = VectorMath.LANES;

    private final AdditiveSpec spec;

    protected AdditiveAttentionKernel(AdditiveSpec spec) {
        this.spec = spec;
    }

    @Override
    public final String name() {
        return spec.name();
    }

    @Override
    public final int headDim() {
        return spec.headDim();
    }

    @Override
    public final void compute(AdditiveInputs in, float[] out) {
        check(in, out);
        AttentionShape s = in.shape();
        float[][] gk = new float[s.batch()][];
        IntStream.range(0, s.batch()).parallel().forEach(b -> gk[b] = pool2(in, b));
        int rows = s.batch() * s.length();
        IntStream.range(0, rows).parallel().forEach(t -> output(in, gk[t / s.length()], t, out));
    }

    /** The pattern's host side: what the CUDA host code validates and launches with. */
    public final AdditiveSpec spec() {
        return spec;
    }

    /**
     * Checks a call against the pattern, as {@link #compute} does before any work
     * ({@link AdditiveSpec#check}).
     *
     * @throws IllegalArgumentException naming the argument, the expected and the actual shape
     */
    public final void check(AdditiveInputs in, float[] out) {
        spec.check(in, out);
    }

    /** {@code g_k} of batch item {@code b}, {@code [E]}. */
    private float[] pool2(AdditiveInputs in, int b) {
        int e = in.shape().heads() * in.shape().headDim();
        int base = b * in.shape().length() * e;
        float[] q = in.q();
        float[] k = in.k();
        float[] gq = pool(in, b, in.wqa(), in.bqa(), (i, buf) -> System.arraycopy(q, base + i * e, buf, 0, e));
        return pool(in, b, in.wka(), in.bka(), (i, buf) -> {
            int src = base + i * e;
            int x = 0;
            for (; x + LANES <= e; x += LANES) {
                FloatVector.fromArray(S, gq, x)
                        .mul(FloatVector.fromArray(S, k, src + x))
                        .intoArray(buf, x);
            }
            for (; x < e; x++) {
                buf[x] = gq[x] * k[src + x];
            }
        });
    }

    /** Writes token {@code i}'s pooled vector {@code [E]} into {@code buf}. */
    private interface Token {
        void load(int i, float[] buf);
    }

    /** {@code g[h] = Σ_i softmax_i(score(i, h)) t_i[h]} over the valid tokens of item {@code b}. */
    private float[] pool(AdditiveInputs in, int b, float[] w, float[] bias, Token tok) {
        int heads = in.shape().heads();
        int d = in.shape().headDim();
        int e = heads * d;
        int n = in.shape().length();
        float scale = (float) spec.scale();
        float[] score = new float[n * heads];
        float[] max = new float[heads];
        Arrays.fill(max, Float.NEGATIVE_INFINITY);
        float[] buf = new float[e];
        for (int i = 0; i < n; i++) {
            if (!in.isValid(b, i)) {
                continue;
            }
            tok.load(i, buf);
            for (int h = 0; h < heads; h++) {
                float s = in.perHeadVectors() ? dot(w, h * d, buf, h * d, d) : dot(w, h * e, buf, 0, e);
                s = (s + bias[h]) * scale;
                score[i * heads + h] = s;
                max[h] = Math.max(max[h], s);
            }
        }
        float[] sum = new float[heads];
        for (int i = 0; i < n; i++) {
            if (in.isValid(b, i)) {
                for (int h = 0; h < heads; h++) {
                    float p = (float) Math.exp(score[i * heads + h] - max[h]);
                    score[i * heads + h] = p;
                    sum[h] += p;
                }
            }
        }
        float[] g = new float[e];
        for (int i = 0; i < n; i++) {
            if (!in.isValid(b, i)) {
                continue;
            }
            tok.load(i, buf);
            for (int h = 0; h < heads; h++) {
                float a = score[i * heads + h] / sum[h];
                axpy(a, buf, h * d, g, h * d, d);
            }
        }
        return g;
    }

    /** Output row {@code t} (batch item × token) from {@code g_k}. */
    private void output(AdditiveInputs in, float[] gk, int t, float[] out) {
        int e = in.shape().heads() * in.shape().headDim();
        int dst = t * e;
        int b = t / in.shape().length();
        int i = t % in.shape().length();
        if (!in.isValid(b, i)) {
            Arrays.fill(out, dst, dst + e, 0f);
            return;
        }
        float[] v = in.v();
        float[] u = new float[e];
        for (int x = 0; x < e; x++) {
            u[x] = gk[x] * v[dst + x];
        }
        if (in.wr() == null) {
            System.arraycopy(u, 0, out, dst, e);
            return;
        }
        float[] wr = in.wr();
        float[] br = in.br();
        float[] q = in.q();
        for (int y = 0; y < e; y++) {
            out[dst + y] = dot(wr, y * e, u, 0, e) + br[y] + q[dst + y];
        }
    }

    private static float dot(float[] a, int ao, float[] b, int bo, int len) {
        FloatVector acc = FloatVector.zero(S);
        int x = 0;
        for (; x + LANES <= len; x += LANES) {
            acc = FloatVector.fromArray(S, a, ao + x).fma(FloatVector.fromArray(S, b, bo + x), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; x < len; x++) {
            s = Math.fma(a[ao + x], b[bo + x], s);
        }
        return s;
    }

    private static void axpy(float a, float[] x, int xo, float[] y, int yo, int len) {
        int k = 0;
        for (; k + LANES <= len; k += LANES) {
            FloatVector.broadcast(S, a)
                    .fma(FloatVector.fromArray(S, x, xo + k), FloatVector.fromArray(S, y, yo + k))
                    .intoArray(y, yo + k);
        }
        for (; k < len; k++) {
            y[yo + k] = Math.fma(a, x[xo + k], y[yo + k]);
        }
    }
}
