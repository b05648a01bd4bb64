package dev.attnc.runtime.kernel;

import dev.attnc.runtime.AdditiveInputs;
import dev.attnc.runtime.nn.Linear;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The output pass of an additive kernel, given each batch item's {@code g_k}: for every valid
 * token {@code out_i = g_k ⊙ v_i}, or with the output transform {@code out_i = W_r (g_k ⊙ v_i)
 * + b_r + q_i}; padding tokens output 0. Rows (batch item × token) are cut into tiles that run
 * in parallel ({@link AdditiveSchedule}). With {@code W_r}, a tile's {@code u} rows go into a
 * scratch block and through the runtime's blocked GEMM on the tile's thread
 * ({@link Linear#forwardOnCallingThread}, weights packed once by {@link PackedTransforms}); a
 * task owns one scratch block for all its tiles, so a call allocates a few blocks whatever n.
 */
final class AdditiveOutput {

    private static final VectorSpecies<Float> S = VectorMath.SPECIES;
    private static final int L = VectorMath.LANES;

    /** Rows of a tile through the GEMM (the GEMM's own row block). */
    static final int TRANSFORM_ROWS = 96;

    /** Rows of a tile without the transform. */
    static final int PLAIN_ROWS = 256;

    private AdditiveOutput() {}

    static void write(AdditiveInputs in, float[][] gk, float[] out, AdditiveSchedule schedule) {
        int n = in.shape().length();
        int e = in.shape().heads() * in.shape().headDim();
        int rows = in.shape().batch() * n;
        if (in.wr() == null) {
            int tiles = ceilDiv(rows, PLAIN_ROWS);
            schedule.forEach(tiles, t -> {
                int r1 = Math.min(rows, (t + 1) * PLAIN_ROWS);
                for (int r = t * PLAIN_ROWS; r < r1; r++) {
                    int b = r / n;
                    if (in.isValid(b, r % n)) {
                        multiply(gk[b], in.v(), r * e, out, r * e, e);
                    } else {
                        Arrays.fill(out, r * e, r * e + e, 0f);
                    }
                }
            });
            return;
        }
        Linear transform = PackedTransforms.of(in.wr(), in.br(), e);
        int tiles = ceilDiv(rows, TRANSFORM_ROWS);
        int tasks = Math.min(tiles, 4 * schedule.threads());
        schedule.forEach(tasks, task -> {
            float[] u = new float[Math.min(rows, TRANSFORM_ROWS) * e];
            for (int t = task; t < tiles; t += tasks) {
                int r0 = t * TRANSFORM_ROWS;
                int r1 = Math.min(rows, r0 + TRANSFORM_ROWS);
                for (int r = r0; r < r1; r++) {
                    int b = r / n;
                    if (in.isValid(b, r % n)) {
                        multiply(gk[b], in.v(), r * e, u, (r - r0) * e, e);
                    } else {
                        Arrays.fill(u, (r - r0) * e, (r - r0 + 1) * e, 0f);
                    }
                }
                transform.forwardOnCallingThread(u, 0, r1 - r0, out, r0 * e);
                for (int r = r0; r < r1; r++) {
                    if (in.isValid(r / n, r % n)) {
                        addInPlace(in.q(), r * e, out, r * e, e);
                    } else {
                        Arrays.fill(out, r * e, r * e + e, 0f);
                    }
                }
            }
        });
    }

    /** {@code y[y0 + x] = g[x] · v[v0 + x]} for {@code x < e}. */
    private static void multiply(float[] g, float[] v, int v0, float[] y, int y0, int e) {
        int x = 0;
        for (; x + L <= e; x += L) {
            FloatVector.fromArray(S, g, x)
                    .mul(FloatVector.fromArray(S, v, v0 + x))
                    .intoArray(y, y0 + x);
        }
        for (; x < e; x++) {
            y[y0 + x] = g[x] * v[v0 + x];
        }
    }

    /** {@code y[y0 + x] += a[a0 + x]} for {@code x < e}. */
    private static void addInPlace(float[] a, int a0, float[] y, int y0, int e) {
        int x = 0;
        for (; x + L <= e; x += L) {
            FloatVector.fromArray(S, y, y0 + x)
                    .add(FloatVector.fromArray(S, a, a0 + x))
                    .intoArray(y, y0 + x);
        }
        for (; x < e; x++) {
            y[y0 + x] += a[a0 + x];
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
