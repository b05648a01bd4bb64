package dev.attnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The Fastformer reference against cases with a closed form and against its own identities. */
class AdditiveReferenceTest {

    private static final double EPS = 1e-9;

    @Test
    void oneTokenIsTheProductOfQueryKeyAndValue() {
        int H = 2;
        int d = 3;
        int E = H * d;
        float[] q = TestArrays.gaussian(E, 1);
        float[] k = TestArrays.gaussian(E, 2);
        float[] v = TestArrays.gaussian(E, 3);
        AdditiveInputs in = AdditiveInputs.builder(new AttentionShape(1, H, 1, d))
                .qkv(q, k, v)
                .poolingMatrices(TestArrays.gaussian(H * E, 4), null, TestArrays.gaussian(H * E, 5), null)
                .build();
        double[] out = AdditiveReference.attention(in, 1 / Math.sqrt(d));
        for (int x = 0; x < E; x++) {
            assertEquals((double) q[x] * k[x] * v[x], out[x], EPS);
        }
    }

    @Test
    void zeroPoolingWeightsAverageTheTokens() {
        int L = 4;
        int E = 2; // one head, d = 2
        float[] q = TestArrays.gaussian(L * E, 6);
        float[] k = TestArrays.gaussian(L * E, 7);
        AdditiveInputs in = AdditiveInputs.builder(new AttentionShape(1, 1, L, E))
                .qkv(q, k, null)
                .poolingMatrices(new float[E], null, new float[E], null)
                .build();
        double[] gq = new double[E];
        double[] gk = new double[E];
        for (int i = 0; i < L; i++) {
            for (int x = 0; x < E; x++) {
                gq[x] += q[i * E + x] / (double) L;
            }
        }
        for (int i = 0; i < L; i++) {
            for (int x = 0; x < E; x++) {
                gk[x] += gq[x] * k[i * E + x] / L;
            }
        }
        double[] out = AdditiveReference.attention(in, 1);
        for (int i = 0; i < L; i++) {
            for (int x = 0; x < E; x++) {
                assertEquals(gk[x] * q[i * E + x], out[i * E + x], EPS, "v = q when the value is shared");
            }
        }
    }

    @Test
    void paddingIsTheSameAsTruncatingAndOutputsZero() {
        int H = 2;
        int d = 2;
        int E = 4;
        int L = 5;
        float[] q = TestArrays.gaussian(L * E, 8);
        float[] k = TestArrays.gaussian(L * E, 9);
        float[] v = TestArrays.gaussian(L * E, 10);
        float[] wq = TestArrays.gaussian(H * E, 11);
        float[] wk = TestArrays.gaussian(H * E, 12);
        float[] bq = {0.3f, -0.2f};
        float[] bk = {0.1f, 0.4f};
        boolean[] valid = {true, true, true, false, false};
        double[] padded = AdditiveReference.attention(
                AdditiveInputs.builder(new AttentionShape(1, H, L, d))
                        .qkv(q, k, v)
                        .poolingMatrices(wq, bq, wk, bk)
                        .keyValid(valid)
                        .build(),
                0.7);
        double[] truncated = AdditiveReference.attention(
                AdditiveInputs.builder(new AttentionShape(1, H, 3, d))
                        .qkv(Arrays.copyOf(q, 3 * E), Arrays.copyOf(k, 3 * E), Arrays.copyOf(v, 3 * E))
                        .poolingMatrices(wq, bq, wk, bk)
                        .build(),
                0.7);
        assertArrayEquals(truncated, Arrays.copyOf(padded, 3 * E), EPS);
        assertArrayEquals(new double[2 * E], Arrays.copyOfRange(padded, 3 * E, 5 * E), 0);
    }

    @Test
    void perHeadVectorsAreTheBlockDiagonalMatrix() {
        int H = 3;
        int d = 2;
        int E = H * d;
        int L = 6;
        float[] q = TestArrays.gaussian(L * E, 13);
        float[] k = TestArrays.gaussian(L * E, 14);
        float[] wq = TestArrays.gaussian(H * d, 15);
        float[] wk = TestArrays.gaussian(H * d, 16);
        float[] mq = new float[H * E];
        float[] mk = new float[H * E];
        for (int h = 0; h < H; h++) {
            for (int x = 0; x < d; x++) {
                mq[h * E + h * d + x] = wq[h * d + x];
                mk[h * E + h * d + x] = wk[h * d + x];
            }
        }
        double[] vec = AdditiveReference.attention(
                AdditiveInputs.builder(new AttentionShape(1, H, L, d))
                        .qkv(q, k, null)
                        .poolingVectors(wq, null, wk, null)
                        .build(),
                0.5);
        double[] mat = AdditiveReference.attention(
                AdditiveInputs.builder(new AttentionShape(1, H, L, d))
                        .qkv(q, k, null)
                        .poolingMatrices(mq, null, mk, null)
                        .build(),
                0.5);
        assertArrayEquals(mat, vec, EPS);
    }

    @Test
    void identityOutputTransformAddsTheResidual() {
        int E = 4;
        int L = 3;
        float[] q = TestArrays.gaussian(L * E, 17);
        float[] k = TestArrays.gaussian(L * E, 18);
        float[] w = TestArrays.gaussian(E, 19);
        float[] eye = new float[E * E];
        for (int x = 0; x < E; x++) {
            eye[x * E + x] = 1;
        }
        double[] u = AdditiveReference.attention(
                AdditiveInputs.builder(new AttentionShape(1, 1, L, E))
                        .qkv(q, k, null)
                        .poolingMatrices(w, null, w, null)
                        .build(),
                0.5);
        double[] out = AdditiveReference.attention(
                AdditiveInputs.builder(new AttentionShape(1, 1, L, E))
                        .qkv(q, k, null)
                        .poolingMatrices(w, null, w, null)
                        .outputTransform(eye, new float[E])
                        .build(),
                0.5);
        for (int i = 0; i < L * E; i++) {
            assertEquals(u[i] + q[i], out[i], EPS);
        }
    }

    @Test
    void wrongShapesAreNamed() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> AdditiveInputs.builder(new AttentionShape(2, 4, 10, 8))
                        .qkv(new float[640], new float[640], null)
                        .poolingMatrices(new float[32], null, new float[128], null)
                        .build());
        assertEquals("W_qa: expected float [4, 32] (128 floats), got 32 floats", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> AdditiveInputs.builder(new AttentionShape(2, 4, 10, 8))
                        .qkv(new float[640], new float[640], null)
                        .poolingVectors(new float[32], null, new float[32], null)
                        .outputTransform(new float[1024], null)
                        .build());
        assertEquals("W_r, b_r: give the output transform's matrix and bias together", e.getMessage());
    }
}
