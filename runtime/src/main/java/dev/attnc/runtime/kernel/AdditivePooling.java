package dev.attnc.runtime.kernel;

import dev.attnc.runtime.AdditiveInputs;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One additive pooling over a tile of tokens, as a split-K partial: for each head {@code h}, in
 * one pass over the tile's rows of {@code src},
 * <pre>
 *   m[h] = max_t s[t, h]     l[h] = Σ_t 2^(s[t,h] − m[h])     acc[h] = Σ_t 2^(s[t,h] − m[h]) src_t[h]
 * </pre>
 * over the tile's valid tokens ({@link PoolingWeights} gives the scores, in log2 units), with
 * the online softmax: when a block raises a head's maximum, that head's {@code l} and
 * {@code acc} are rescaled. {@link #merge} combines the tiles of a batch item into
 * {@code g[h] = Σ_t softmax_t(s[t, h]) src_t[h]} (flash-decoding's combine).
 *
 * <p>Scores are register-blocked with heads in lanes: a block of {@link #BLOCK} tokens × one
 * vector of heads, per feature one weight vector and {@link #BLOCK} broadcasts of the tokens'
 * values (no horizontal reduction). Full blocks of valid tokens take that path; tokens around
 * padding go one at a time, and padding tokens are never read.
 *
 * <p>A partial is one array: {@code [m (padded) | l (padded) | acc (E)]}.
 */
final class AdditivePooling {

    private static final VectorSpecies<Float> S = VectorMath.SPECIES;
    private static final int L = VectorMath.LANES;

    /** Tokens of a register block. */
    static final int BLOCK = 8;

    private AdditivePooling() {}

    /** Floats of a partial for these weights. */
    static int partialSize(PoolingWeights pw) {
        return 2 * pw.padded + pw.e;
    }

    /**
     * Pools tokens {@code [from, to)} of batch item {@code b}, whose token {@code i} is at
     * {@code src[base + i·E]}, into a fresh partial.
     */
    static float[] tile(AdditiveInputs in, int b, float[] src, int base, PoolingWeights pw, int from, int to) {
        float[] part = new float[partialSize(pw)];
        java.util.Arrays.fill(part, 0, pw.padded, Float.NEGATIVE_INFINITY);
        float[] p = new float[BLOCK * pw.padded];
        float[] corr = new float[pw.padded];
        boolean allValid = !in.hasKeyValid();
        int e = pw.e;
        int i = from;
        while (i < to) {
            if (i + BLOCK <= to && (allValid || validRun(in, b, i))) {
                block(src, base + i * e, pw, part, p, corr);
                i += BLOCK;
            } else {
                if (allValid || in.isValid(b, i)) {
                    single(src, base + i * e, pw, part, p, corr);
                }
                i++;
            }
        }
        return part;
    }

    private static boolean validRun(AdditiveInputs in, int b, int i) {
        for (int t = 0; t < BLOCK; t++) {
            if (!in.isValid(b, i + t)) {
                return false;
            }
        }
        return true;
    }

    /** Eight valid tokens from {@code src[off]}: scores, softmax update, accumulation. */
    private static void block(float[] src, int off, PoolingWeights pw, float[] part, float[] p, float[] corr) {
        for (int c = 0; c < pw.chunks; c++) {
            scores8(src, off, pw, c, p);
        }
        update(BLOCK, pw, part, p, corr);
        int d = pw.headDim;
        int hp = pw.padded;
        if (d % L == 0) {
            accumulate8(src, off, pw.e, d, pw.heads, hp, p, part, 2 * hp);
        } else {
            for (int t = 0; t < BLOCK; t++) {
                accumulateAny(src, off + t * pw.e, pw, p, t * hp, part, 2 * hp);
            }
        }
    }

    /** One valid token from {@code src[off]}. */
    private static void single(float[] src, int off, PoolingWeights pw, float[] part, float[] p, float[] corr) {
        for (int c = 0; c < pw.chunks; c++) {
            FloatVector s0 = FloatVector.zero(S);
            int wx = pw.offset(c, 0);
            for (int x = 0; x < pw.e; x++, wx += L) {
                s0 = FloatVector.broadcast(S, src[off + x]).fma(FloatVector.fromArray(S, pw.w, wx), s0);
            }
            s0.add(FloatVector.fromArray(S, pw.bias, c * L)).intoArray(p, c * L);
        }
        update(1, pw, part, p, corr);
        accumulateAny(src, off, pw, p, 0, part, 2 * pw.padded);
    }

    /**
     * The scores of eight tokens from {@code src[off]} for the heads of chunk {@code c}, into
     * {@code s[t·padded + c·LANES]}: per feature one weight vector and eight broadcasts.
     */
    private static void scores8(float[] src, int off, PoolingWeights pw, int c, float[] s) {
        int e = pw.e;
        int hp = pw.padded;
        float[] w = pw.w;
        int o1 = off + e;
        int o2 = o1 + e;
        int o3 = o2 + e;
        int o4 = o3 + e;
        int o5 = o4 + e;
        int o6 = o5 + e;
        int o7 = o6 + e;
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S);
        FloatVector s3 = FloatVector.zero(S);
        FloatVector s4 = FloatVector.zero(S);
        FloatVector s5 = FloatVector.zero(S);
        FloatVector s6 = FloatVector.zero(S);
        FloatVector s7 = FloatVector.zero(S);
        int wx = pw.offset(c, 0);
        for (int x = 0; x < e; x++, wx += L) {
            FloatVector wv = FloatVector.fromArray(S, w, wx);
            s0 = FloatVector.broadcast(S, src[off + x]).fma(wv, s0);
            s1 = FloatVector.broadcast(S, src[o1 + x]).fma(wv, s1);
            s2 = FloatVector.broadcast(S, src[o2 + x]).fma(wv, s2);
            s3 = FloatVector.broadcast(S, src[o3 + x]).fma(wv, s3);
            s4 = FloatVector.broadcast(S, src[o4 + x]).fma(wv, s4);
            s5 = FloatVector.broadcast(S, src[o5 + x]).fma(wv, s5);
            s6 = FloatVector.broadcast(S, src[o6 + x]).fma(wv, s6);
            s7 = FloatVector.broadcast(S, src[o7 + x]).fma(wv, s7);
        }
        int h = c * L;
        FloatVector bias = FloatVector.fromArray(S, pw.bias, h);
        s0.add(bias).intoArray(s, h);
        s1.add(bias).intoArray(s, hp + h);
        s2.add(bias).intoArray(s, 2 * hp + h);
        s3.add(bias).intoArray(s, 3 * hp + h);
        s4.add(bias).intoArray(s, 4 * hp + h);
        s5.add(bias).intoArray(s, 5 * hp + h);
        s6.add(bias).intoArray(s, 6 * hp + h);
        s7.add(bias).intoArray(s, 7 * hp + h);
    }

    /**
     * The online-softmax step for {@code count} tokens whose scores are in {@code p} (rows of
     * {@code padded}): raises {@code m}, turns the scores into weights {@code 2^(s − m)} in
     * place, adds them to {@code l} after rescaling it, and leaves each head's rescaling factor
     * in {@code corr} (exactly 1 where the maximum did not move) for {@link #rescale}.
     */
    private static void update(int count, PoolingWeights pw, float[] part, float[] p, float[] corr) {
        int hp = pw.padded;
        for (int h = 0; h < hp; h += L) {
            FloatVector mx = FloatVector.fromArray(S, p, h);
            for (int t = 1; t < count; t++) {
                mx = mx.max(FloatVector.fromArray(S, p, t * hp + h));
            }
            FloatVector mOld = FloatVector.fromArray(S, part, h);
            FloatVector mNew = mOld.max(mx);
            mNew.intoArray(part, h);
            FloatVector sum = FloatVector.zero(S);
            for (int t = 0; t < count; t++) {
                FloatVector pt =
                        VectorMath.exp2(FloatVector.fromArray(S, p, t * hp + h).sub(mNew));
                pt.intoArray(p, t * hp + h);
                sum = sum.add(pt);
            }
            FloatVector cv = VectorMath.exp2(mOld.sub(mNew));
            cv.intoArray(corr, h);
            FloatVector.fromArray(S, part, hp + h).fma(cv, sum).intoArray(part, hp + h);
        }
        rescale(pw, part, corr);
    }

    /** {@code acc[h] *= corr[h]} for the heads whose maximum rose ({@code corr} is exactly 1 otherwise). */
    private static void rescale(PoolingWeights pw, float[] part, float[] corr) {
        int d = pw.headDim;
        int acc0 = 2 * pw.padded;
        for (int h = 0; h < pw.heads; h++) {
            float c = corr[h];
            if (c != 1f) {
                int from = acc0 + h * d;
                for (int x = from; x < from + d; x++) {
                    part[x] *= c;
                }
            }
        }
    }

    /** {@code acc += Σ_t p[t, h(x)] src_t} for a block of eight tokens, heads a multiple of the lanes. */
    private static void accumulate8(
            float[] src, int off, int e, int d, int heads, int hp, float[] p, float[] part, int acc0) {
        int o1 = off + e;
        int o2 = o1 + e;
        int o3 = o2 + e;
        int o4 = o3 + e;
        int o5 = o4 + e;
        int o6 = o5 + e;
        int o7 = o6 + e;
        for (int h = 0; h < heads; h++) {
            FloatVector a0 = FloatVector.broadcast(S, p[h]);
            FloatVector a1 = FloatVector.broadcast(S, p[hp + h]);
            FloatVector a2 = FloatVector.broadcast(S, p[2 * hp + h]);
            FloatVector a3 = FloatVector.broadcast(S, p[3 * hp + h]);
            FloatVector a4 = FloatVector.broadcast(S, p[4 * hp + h]);
            FloatVector a5 = FloatVector.broadcast(S, p[5 * hp + h]);
            FloatVector a6 = FloatVector.broadcast(S, p[6 * hp + h]);
            FloatVector a7 = FloatVector.broadcast(S, p[7 * hp + h]);
            for (int x = h * d; x < (h + 1) * d; x += L) {
                FloatVector acc = FloatVector.fromArray(S, part, acc0 + x);
                acc = a0.fma(FloatVector.fromArray(S, src, off + x), acc);
                acc = a1.fma(FloatVector.fromArray(S, src, o1 + x), acc);
                acc = a2.fma(FloatVector.fromArray(S, src, o2 + x), acc);
                acc = a3.fma(FloatVector.fromArray(S, src, o3 + x), acc);
                acc = a4.fma(FloatVector.fromArray(S, src, o4 + x), acc);
                acc = a5.fma(FloatVector.fromArray(S, src, o5 + x), acc);
                acc = a6.fma(FloatVector.fromArray(S, src, o6 + x), acc);
                acc = a7.fma(FloatVector.fromArray(S, src, o7 + x), acc);
                acc.intoArray(part, acc0 + x);
            }
        }
    }

    /** {@code acc[h] += p[p0 + h] src[off + h·d ..]} for one token, any head dim. */
    private static void accumulateAny(
            float[] src, int off, PoolingWeights pw, float[] p, int p0, float[] part, int acc0) {
        int d = pw.headDim;
        for (int h = 0; h < pw.heads; h++) {
            float a = p[p0 + h];
            FloatVector av = FloatVector.broadcast(S, a);
            int from = h * d;
            int to = from + d;
            int x = from;
            for (; x + L <= to; x += L) {
                av.fma(FloatVector.fromArray(S, src, off + x), FloatVector.fromArray(S, part, acc0 + x))
                        .intoArray(part, acc0 + x);
            }
            for (; x < to; x++) {
                part[acc0 + x] = Math.fma(a, src[off + x], part[acc0 + x]);
            }
        }
    }

    /**
     * {@code g[h] = acc_all[h] / l_all[h]} from the partials of one batch item's tiles, each
     * rescaled to the item's maximum; {@code g[h] = 0} for a head of an item without a valid
     * token.
     */
    static float[] merge(float[][] parts, int from, int to, PoolingWeights pw) {
        int d = pw.headDim;
        int hp = pw.padded;
        int acc0 = 2 * hp;
        float[] g = new float[pw.e];
        double[] sum = new double[d];
        for (int h = 0; h < pw.heads; h++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int t = from; t < to; t++) {
                max = Math.max(max, parts[t][h]);
            }
            if (max == Float.NEGATIVE_INFINITY) {
                continue; // no valid token: nothing to pool
            }
            double l = 0;
            java.util.Arrays.fill(sum, 0);
            for (int t = from; t < to; t++) {
                float[] part = parts[t];
                if (part[h] == Float.NEGATIVE_INFINITY) {
                    continue;
                }
                double c = Math.pow(2, (double) part[h] - max);
                l += c * part[hp + h];
                for (int x = 0; x < d; x++) {
                    sum[x] += c * part[acc0 + h * d + x];
                }
            }
            for (int x = 0; x < d; x++) {
                g[h * d + x] = (float) (sum[x] / l);
            }
        }
        return g;
    }
}
