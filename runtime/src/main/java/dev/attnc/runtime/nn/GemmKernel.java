package dev.attnc.runtime.nn;

import dev.attnc.runtime.kernel.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked micro-kernels of {@link Linear}: {@code C[n × PANEL] = S + X[n × kc] ·
 * P[kc × PANEL]} for one panel of packed weights ({@link PackedWeights}) over a range of
 * {@code kc} input features, {@code n} rows of {@code x} broadcast lane by lane against
 * {@link #VECTORS} vectors of output columns. This class owns the arithmetic of the hot loop and
 * nothing else: which rows, panels and feature ranges make a call is decided by
 * {@link GemmTiles}.
 *
 * <p>The accumulators of a block ({@link #MR} rows × {@link #VECTORS} vectors = 16) live in
 * local variables of one straight-line method per block height (4, 2 and 1 rows): on JDK 17,
 * C2 keeps vectors in registers only when they do not escape, are not stored in arrays and do
 * not meet at a merge of control flow, so each height is unrolled by hand. A step of the
 * feature loop loads {@link #VECTORS} weight vectors and broadcasts one {@code x} value per row:
 * 16 FMAs for 8 loads at four rows.
 *
 * <p>The start value {@code S} is read once at the store, from {@code src} at row stride
 * {@code ldS}: the bias panel with stride 0 for the first feature range (the bias is folded
 * into the store), or {@code C} itself for the following ones. The store is written
 * {@code fromArray(src).add(acc)}, the freshly loaded vector as the receiver: written
 * {@code acc.add(fromArray(src))}, C2 (JDK 17.0.15) compiled the one-row kernel with a virtual
 * call there and boxed its four accumulators on every call (384 bytes, seen with JFR). Per output element the
 * arithmetic (an FMA chain over the range from zero, then one add) is the same for every block
 * height, so results do not depend on how rows are blocked or on the thread count.
 */
final class GemmKernel {

    /** Rows of the full register block. */
    static final int MR = 4;

    /** Vectors of output columns in a block. */
    static final int VECTORS = 4;

    private static final VectorSpecies<Float> S = VectorMath.SPECIES;
    private static final int L = VectorMath.LANES;

    /** Output columns of a panel: {@link #VECTORS} vectors. */
    static final int PANEL = VECTORS * L;

    private GemmKernel() {}

    /**
     * For {@code r < n}, {@code 0 <= j < PANEL}: {@code c[c0 + r·ldc + j] = src[s0 + r·ldS + j] +
     * Σ_{k < kc} x[x0 + r·ldx + k] · w[w0 + k·PANEL + j]}.
     *
     * <p>Reads only those elements of {@code x}, {@code w} and {@code src}, writes only those of
     * {@code c} ({@code src} may be {@code c} at the same offsets and stride).
     */
    static void rows(
            int n,
            float[] x,
            int x0,
            int ldx,
            float[] w,
            int w0,
            int kc,
            float[] src,
            int s0,
            int ldS,
            float[] c,
            int c0,
            int ldc) {
        int r = 0;
        for (; r + 4 <= n; r += 4) {
            rows4(x, x0 + r * ldx, ldx, w, w0, kc, src, s0 + r * ldS, ldS, c, c0 + r * ldc, ldc);
        }
        if (r + 2 <= n) {
            rows2(x, x0 + r * ldx, ldx, w, w0, kc, src, s0 + r * ldS, ldS, c, c0 + r * ldc, ldc);
            r += 2;
        }
        if (r < n) {
            rows1(x, x0 + r * ldx, w, w0, kc, src, s0 + r * ldS, c, c0 + r * ldc);
        }
    }

    /** {@link #rows} for 4 rows: 16 accumulators. */
    private static void rows4(
            float[] x,
            int x0,
            int ldx,
            float[] w,
            int w0,
            int kc,
            float[] src,
            int s0,
            int ldS,
            float[] c,
            int c0,
            int ldc) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c02 = FloatVector.zero(S);
        FloatVector c03 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c12 = FloatVector.zero(S);
        FloatVector c13 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c21 = FloatVector.zero(S);
        FloatVector c22 = FloatVector.zero(S);
        FloatVector c23 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c31 = FloatVector.zero(S);
        FloatVector c32 = FloatVector.zero(S);
        FloatVector c33 = FloatVector.zero(S);
        int x1 = x0 + ldx;
        int x2 = x1 + ldx;
        int x3 = x2 + ldx;
        int wk = w0;
        for (int k = 0; k < kc; k++, wk += PANEL) {
            FloatVector b0 = FloatVector.fromArray(S, w, wk);
            FloatVector b1 = FloatVector.fromArray(S, w, wk + L);
            FloatVector b2 = FloatVector.fromArray(S, w, wk + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, w, wk + 3 * L);
            FloatVector a = FloatVector.broadcast(S, x[x0 + k]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            c02 = a.fma(b2, c02);
            c03 = a.fma(b3, c03);
            a = FloatVector.broadcast(S, x[x1 + k]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            c12 = a.fma(b2, c12);
            c13 = a.fma(b3, c13);
            a = FloatVector.broadcast(S, x[x2 + k]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            c22 = a.fma(b2, c22);
            c23 = a.fma(b3, c23);
            a = FloatVector.broadcast(S, x[x3 + k]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            c32 = a.fma(b2, c32);
            c33 = a.fma(b3, c33);
        }
        FloatVector.fromArray(S, src, s0).add(c00).intoArray(c, c0);
        FloatVector.fromArray(S, src, s0 + L).add(c01).intoArray(c, c0 + L);
        FloatVector.fromArray(S, src, s0 + 2 * L).add(c02).intoArray(c, c0 + 2 * L);
        FloatVector.fromArray(S, src, s0 + 3 * L).add(c03).intoArray(c, c0 + 3 * L);
        s0 += ldS;
        c0 += ldc;
        FloatVector.fromArray(S, src, s0).add(c10).intoArray(c, c0);
        FloatVector.fromArray(S, src, s0 + L).add(c11).intoArray(c, c0 + L);
        FloatVector.fromArray(S, src, s0 + 2 * L).add(c12).intoArray(c, c0 + 2 * L);
        FloatVector.fromArray(S, src, s0 + 3 * L).add(c13).intoArray(c, c0 + 3 * L);
        s0 += ldS;
        c0 += ldc;
        FloatVector.fromArray(S, src, s0).add(c20).intoArray(c, c0);
        FloatVector.fromArray(S, src, s0 + L).add(c21).intoArray(c, c0 + L);
        FloatVector.fromArray(S, src, s0 + 2 * L).add(c22).intoArray(c, c0 + 2 * L);
        FloatVector.fromArray(S, src, s0 + 3 * L).add(c23).intoArray(c, c0 + 3 * L);
        s0 += ldS;
        c0 += ldc;
        FloatVector.fromArray(S, src, s0).add(c30).intoArray(c, c0);
        FloatVector.fromArray(S, src, s0 + L).add(c31).intoArray(c, c0 + L);
        FloatVector.fromArray(S, src, s0 + 2 * L).add(c32).intoArray(c, c0 + 2 * L);
        FloatVector.fromArray(S, src, s0 + 3 * L).add(c33).intoArray(c, c0 + 3 * L);
    }

    /** {@link #rows} for 2 rows: 8 accumulators. */
    private static void rows2(
            float[] x,
            int x0,
            int ldx,
            float[] w,
            int w0,
            int kc,
            float[] src,
            int s0,
            int ldS,
            float[] c,
            int c0,
            int ldc) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c02 = FloatVector.zero(S);
        FloatVector c03 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c12 = FloatVector.zero(S);
        FloatVector c13 = FloatVector.zero(S);
        int x1 = x0 + ldx;
        int wk = w0;
        for (int k = 0; k < kc; k++, wk += PANEL) {
            FloatVector b0 = FloatVector.fromArray(S, w, wk);
            FloatVector b1 = FloatVector.fromArray(S, w, wk + L);
            FloatVector b2 = FloatVector.fromArray(S, w, wk + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, w, wk + 3 * L);
            FloatVector a = FloatVector.broadcast(S, x[x0 + k]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            c02 = a.fma(b2, c02);
            c03 = a.fma(b3, c03);
            a = FloatVector.broadcast(S, x[x1 + k]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            c12 = a.fma(b2, c12);
            c13 = a.fma(b3, c13);
        }
        FloatVector.fromArray(S, src, s0).add(c00).intoArray(c, c0);
        FloatVector.fromArray(S, src, s0 + L).add(c01).intoArray(c, c0 + L);
        FloatVector.fromArray(S, src, s0 + 2 * L).add(c02).intoArray(c, c0 + 2 * L);
        FloatVector.fromArray(S, src, s0 + 3 * L).add(c03).intoArray(c, c0 + 3 * L);
        s0 += ldS;
        c0 += ldc;
        FloatVector.fromArray(S, src, s0).add(c10).intoArray(c, c0);
        FloatVector.fromArray(S, src, s0 + L).add(c11).intoArray(c, c0 + L);
        FloatVector.fromArray(S, src, s0 + 2 * L).add(c12).intoArray(c, c0 + 2 * L);
        FloatVector.fromArray(S, src, s0 + 3 * L).add(c13).intoArray(c, c0 + 3 * L);
    }

    /** {@link #rows} for 1 row: 4 accumulators. */
    private static void rows1(float[] x, int x0, float[] w, int w0, int kc, float[] src, int s0, float[] c, int c0) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c02 = FloatVector.zero(S);
        FloatVector c03 = FloatVector.zero(S);
        int wk = w0;
        for (int k = 0; k < kc; k++, wk += PANEL) {
            FloatVector b0 = FloatVector.fromArray(S, w, wk);
            FloatVector b1 = FloatVector.fromArray(S, w, wk + L);
            FloatVector b2 = FloatVector.fromArray(S, w, wk + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, w, wk + 3 * L);
            FloatVector a = FloatVector.broadcast(S, x[x0 + k]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            c02 = a.fma(b2, c02);
            c03 = a.fma(b3, c03);
        }
        FloatVector.fromArray(S, src, s0).add(c00).intoArray(c, c0);
        FloatVector.fromArray(S, src, s0 + L).add(c01).intoArray(c, c0 + L);
        FloatVector.fromArray(S, src, s0 + 2 * L).add(c02).intoArray(c, c0 + 2 * L);
        FloatVector.fromArray(S, src, s0 + 3 * L).add(c03).intoArray(c, c0 + 3 * L);
    }
}
