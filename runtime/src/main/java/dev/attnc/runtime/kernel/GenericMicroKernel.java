package dev.attnc.runtime.kernel;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The runtime's own {@link MicroKernel}, for kernels that do not bring a generated one (and for
 * generated kernels built for wider vectors than the running machine has): {@link #ROWS} rows ×
 * 2 vectors of {@link VectorMath#SPECIES} (12 accumulators at 6 rows), the head dim a run-time
 * value. Generated kernels carry the same loops with every size a constant
 * ({@code dev.attnc.compiler.emit.JavaMicroKernelEmitter}).
 *
 * <p>One template per operation. Each method is written once for {@link #ROWS} rows; a block
 * of fewer rows (the tail of a row group) clamps the offsets of its missing rows to its last
 * real row, so those accumulators recompute that row and store the very same values to the
 * same place. A full block pays nothing for this (the offsets are set once per call), a
 * narrow one pays for the rows it recomputes; per row the arithmetic (order of the FMAs) is
 * the same whatever the block's height, so results do not depend on how rows are blocked.
 */
public final class GenericMicroKernel implements MicroKernel {

    /** Rows of a register block: 6 rows × 2 vectors = 12 accumulators. */
    static final int ROWS = 6;

    private static final VectorSpecies<Float> S = VectorMath.SPECIES;
    private static final int L = VectorMath.LANES;
    /** Keys (for scores) or head-dim columns (for {@code P·V}) of a register block: two vectors. */
    static final int KEYS = 2 * L;

    private static final float NEG_INF = Float.NEGATIVE_INFINITY;

    private final int d;

    /**
     * The generic loops for heads of {@code headDim} floats.
     *
     * @throws IllegalArgumentException if {@code headDim < 1}
     */
    public GenericMicroKernel(int headDim) {
        if (headDim < 1) {
            throw new IllegalArgumentException("headDim must be at least 1, got " + headDim);
        }
        this.d = headDim;
    }

    @Override
    public int headDim() {
        return d;
    }

    @Override
    public int rows() {
        return ROWS;
    }

    @Override
    public int keys() {
        return KEYS;
    }

    @Override
    public int vectorBits() {
        return S.vectorBitSize();
    }

    /** Row {@code r} of a block of {@code rows} rows: rows past the last real one repeat it. */
    private static int row(int r, int rows) {
        return Math.min(r, rows - 1);
    }

    /**
     * {@code sc[r·ld + t] = q[qOff + r·d ..]·kt[·, t]} for the block's {@code rows <= ROWS} rows,
     * {@code tFrom <= t < tTo} in steps of {@link #KEYS}; key {@code t}'s column {@code x} is
     * {@code kt[kOff + t/KEYS·blockStride + x·xStride + t%KEYS]}.
     */
    @Override
    public void scores(
            int rows,
            float[] q,
            int qOff,
            float[] kt,
            int kOff,
            int blockStride,
            int xStride,
            int tFrom,
            int tTo,
            float[] sc,
            int ld) {
        int d = this.d;
        int q1 = qOff + row(1, rows) * d;
        int q2 = qOff + row(2, rows) * d;
        int q3 = qOff + row(3, rows) * d;
        int q4 = qOff + row(4, rows) * d;
        int q5 = qOff + row(5, rows) * d;
        int s1 = row(1, rows) * ld;
        int s2 = row(2, rows) * ld;
        int s3 = row(3, rows) * ld;
        int s4 = row(4, rows) * ld;
        int s5 = row(5, rows) * ld;
        for (int t = tFrom; t < tTo; t += KEYS) {
            int kb = kOff + t / KEYS * blockStride;
            FloatVector a00 = FloatVector.zero(S);
            FloatVector a01 = FloatVector.zero(S);
            FloatVector a10 = FloatVector.zero(S);
            FloatVector a11 = FloatVector.zero(S);
            FloatVector a20 = FloatVector.zero(S);
            FloatVector a21 = FloatVector.zero(S);
            FloatVector a30 = FloatVector.zero(S);
            FloatVector a31 = FloatVector.zero(S);
            FloatVector a40 = FloatVector.zero(S);
            FloatVector a41 = FloatVector.zero(S);
            FloatVector a50 = FloatVector.zero(S);
            FloatVector a51 = FloatVector.zero(S);
            for (int x = 0; x < d; x++) {
                int kk = kb + x * xStride;
                FloatVector k0 = FloatVector.fromArray(S, kt, kk);
                FloatVector k1 = FloatVector.fromArray(S, kt, kk + L);
                FloatVector b = FloatVector.broadcast(S, q[qOff + x]);
                a00 = b.fma(k0, a00);
                a01 = b.fma(k1, a01);
                b = FloatVector.broadcast(S, q[q1 + x]);
                a10 = b.fma(k0, a10);
                a11 = b.fma(k1, a11);
                b = FloatVector.broadcast(S, q[q2 + x]);
                a20 = b.fma(k0, a20);
                a21 = b.fma(k1, a21);
                b = FloatVector.broadcast(S, q[q3 + x]);
                a30 = b.fma(k0, a30);
                a31 = b.fma(k1, a31);
                b = FloatVector.broadcast(S, q[q4 + x]);
                a40 = b.fma(k0, a40);
                a41 = b.fma(k1, a41);
                b = FloatVector.broadcast(S, q[q5 + x]);
                a50 = b.fma(k0, a50);
                a51 = b.fma(k1, a51);
            }
            a00.intoArray(sc, t);
            a01.intoArray(sc, t + L);
            a10.intoArray(sc, s1 + t);
            a11.intoArray(sc, s1 + t + L);
            a20.intoArray(sc, s2 + t);
            a21.intoArray(sc, s2 + t + L);
            a30.intoArray(sc, s3 + t);
            a31.intoArray(sc, s3 + t + L);
            a40.intoArray(sc, s4 + t);
            a41.intoArray(sc, s4 + t + L);
            a50.intoArray(sc, s5 + t);
            a51.intoArray(sc, s5 + t + L);
        }
    }

    @Override
    public void softmax(int rows, float[] s, int ld, int tFrom, int tTo, float[] m, float[] l, float[] o, int row0) {
        for (int r = 0; r < rows; r++) {
            step(s, r * ld + tFrom, tTo - tFrom, m, l, o, row0 + r);
        }
    }

    /** The online-softmax step of one row over {@code s[off .. off+len)}, {@code len} a multiple of the lanes. */
    private void step(float[] s, int off, int len, float[] ms, float[] ls, float[] o, int row) {
        FloatVector mx = FloatVector.broadcast(S, NEG_INF);
        for (int t = 0; t < len; t += L) {
            mx = mx.max(FloatVector.fromArray(S, s, off + t));
        }
        float chunkMax = mx.reduceLanes(VectorOperators.MAX);
        float old = ms[row];
        float m = old;
        if (chunkMax > old + STALE_MAX || (old == NEG_INF && chunkMax != NEG_INF)) {
            m = chunkMax;
            float alpha = VectorMath.exp2(old - m);
            FloatVector.fromArray(S, ls, row * L).mul(alpha).intoArray(ls, row * L);
            ms[row] = m;
            int or = row * d;
            int x = 0;
            for (; x + L <= d; x += L) {
                FloatVector.fromArray(S, o, or + x).mul(alpha).intoArray(o, or + x);
            }
            for (; x < d; x++) {
                o[or + x] *= alpha;
            }
        }
        if (m == NEG_INF) {
            Arrays.fill(s, off, off + len, 0f);
            return;
        }
        FloatVector mv = FloatVector.broadcast(S, m);
        // The row's sum stays in lanes (ls[row·L ..]): no reduction whose order the Vector API leaves open.
        FloatVector sum = FloatVector.fromArray(S, ls, row * L);
        for (int t = 0; t < len; t += L) {
            FloatVector p = VectorMath.exp2(FloatVector.fromArray(S, s, off + t).sub(mv));
            p.intoArray(s, off + t);
            sum = sum.add(p);
        }
        sum.intoArray(ls, row * L);
    }

    /**
     * {@code o[oOff + r·d ..] += Σ_t p[r·ld + t]·v[headBase + keys[t]·tokenStride ..]} for the
     * block's {@code rows <= ROWS} rows, {@code tFrom <= t < nk}: {@link #KEYS} columns of the
     * head dim at a time, the columns past the last such block by {@link #pvTail}.
     */
    @Override
    public void pv(
            int rows,
            float[] o,
            int oOff,
            float[] p,
            int ld,
            float[] v,
            int headBase,
            int tokenStride,
            int[] keys,
            int tFrom,
            int nk) {
        int d = this.d;
        int o1 = oOff + row(1, rows) * d;
        int o2 = oOff + row(2, rows) * d;
        int o3 = oOff + row(3, rows) * d;
        int o4 = oOff + row(4, rows) * d;
        int o5 = oOff + row(5, rows) * d;
        int p1 = row(1, rows) * ld;
        int p2 = row(2, rows) * ld;
        int p3 = row(3, rows) * ld;
        int p4 = row(4, rows) * ld;
        int p5 = row(5, rows) * ld;
        int x = 0;
        for (; x + KEYS <= d; x += KEYS) {
            FloatVector c00 = FloatVector.fromArray(S, o, oOff + x);
            FloatVector c01 = FloatVector.fromArray(S, o, oOff + x + L);
            FloatVector c10 = FloatVector.fromArray(S, o, o1 + x);
            FloatVector c11 = FloatVector.fromArray(S, o, o1 + x + L);
            FloatVector c20 = FloatVector.fromArray(S, o, o2 + x);
            FloatVector c21 = FloatVector.fromArray(S, o, o2 + x + L);
            FloatVector c30 = FloatVector.fromArray(S, o, o3 + x);
            FloatVector c31 = FloatVector.fromArray(S, o, o3 + x + L);
            FloatVector c40 = FloatVector.fromArray(S, o, o4 + x);
            FloatVector c41 = FloatVector.fromArray(S, o, o4 + x + L);
            FloatVector c50 = FloatVector.fromArray(S, o, o5 + x);
            FloatVector c51 = FloatVector.fromArray(S, o, o5 + x + L);
            for (int t = tFrom; t < nk; t++) {
                int vv = headBase + keys[t] * tokenStride + x;
                FloatVector v0 = FloatVector.fromArray(S, v, vv);
                FloatVector v1 = FloatVector.fromArray(S, v, vv + L);
                FloatVector b = FloatVector.broadcast(S, p[t]);
                c00 = b.fma(v0, c00);
                c01 = b.fma(v1, c01);
                b = FloatVector.broadcast(S, p[p1 + t]);
                c10 = b.fma(v0, c10);
                c11 = b.fma(v1, c11);
                b = FloatVector.broadcast(S, p[p2 + t]);
                c20 = b.fma(v0, c20);
                c21 = b.fma(v1, c21);
                b = FloatVector.broadcast(S, p[p3 + t]);
                c30 = b.fma(v0, c30);
                c31 = b.fma(v1, c31);
                b = FloatVector.broadcast(S, p[p4 + t]);
                c40 = b.fma(v0, c40);
                c41 = b.fma(v1, c41);
                b = FloatVector.broadcast(S, p[p5 + t]);
                c50 = b.fma(v0, c50);
                c51 = b.fma(v1, c51);
            }
            c00.intoArray(o, oOff + x);
            c01.intoArray(o, oOff + x + L);
            c10.intoArray(o, o1 + x);
            c11.intoArray(o, o1 + x + L);
            c20.intoArray(o, o2 + x);
            c21.intoArray(o, o2 + x + L);
            c30.intoArray(o, o3 + x);
            c31.intoArray(o, o3 + x + L);
            c40.intoArray(o, o4 + x);
            c41.intoArray(o, o4 + x + L);
            c50.intoArray(o, o5 + x);
            c51.intoArray(o, o5 + x + L);
        }
        if (x < d) {
            pvTail(rows, o, oOff, p, ld, v, headBase, tokenStride, keys, tFrom, nk, x);
        }
    }

    /** {@code P·V} over head-dim columns {@code from..d} (fewer than {@link #KEYS}): one vector at a time, then scalars. */
    private void pvTail(
            int rows,
            float[] o,
            int oOff,
            float[] p,
            int ld,
            float[] v,
            int headBase,
            int tokenStride,
            int[] keys,
            int tFrom,
            int nk,
            int from) {
        int d = this.d;
        for (int r = 0; r < rows; r++) {
            int or = oOff + r * d;
            int pr = r * ld;
            int x = from;
            for (; x + L <= d; x += L) {
                FloatVector acc = FloatVector.fromArray(S, o, or + x);
                for (int t = tFrom; t < nk; t++) {
                    acc = FloatVector.broadcast(S, p[pr + t])
                            .fma(FloatVector.fromArray(S, v, headBase + keys[t] * tokenStride + x), acc);
                }
                acc.intoArray(o, or + x);
            }
            for (; x < d; x++) {
                float acc = o[or + x];
                for (int t = tFrom; t < nk; t++) {
                    acc = Math.fma(p[pr + t], v[headBase + keys[t] * tokenStride + x], acc);
                }
                o[or + x] = acc;
            }
        }
    }
}
