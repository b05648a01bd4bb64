package dev.attnc.runtime.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Activations and layer norm against straightforward double-precision formulas. Tolerances:
 * activations 2e-6 absolute + 2e-6 relative (float rounding of the input and the vector
 * exp/tanh); layer norm 2e-5 absolute on outputs of order 1.
 */
class ActivationAndNormTest {

    /** erf in double by its Maclaurin series (|x| ≤ 3) or continued fraction of erfc (|x| > 3): independent of Erf. */
    static double erf(double x) {
        double z = Math.abs(x);
        double r;
        if (z <= 3) {
            double term = z;
            double sum = z;
            for (int n = 1; n < 200; n++) {
                term *= -z * z / n;
                sum += term / (2 * n + 1);
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            double f = 0;
            for (int n = 60; n >= 1; n--) {
                f = n / 2.0 / (z + f);
            }
            r = 1 - Math.exp(-z * z) / Math.sqrt(Math.PI) / (z + f);
        }
        return x < 0 ? -r : r;
    }

    static double reference(Activation a, double x) {
        switch (a) {
            case GELU:
                return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
            case GELU_TANH:
                return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            case RELU:
                return Math.max(0, x);
            case TANH:
                return Math.tanh(x);
            default:
                throw new AssertionError(a);
        }
    }

    @Test
    void seriesErfMatchesKnownValues() {
        assertEquals(0.8427007929497149, erf(1), 1e-15);
        assertEquals(0.9953222650189527, erf(2), 1e-15);
        assertEquals(-0.9999779095030014, erf(-3), 1e-13); // the series loses ~1e-14 to cancellation at 3
        assertEquals(0.9999999845827421, erf(4), 1e-15);
    }

    @Test
    void everyActivationMatchesItsFormulaOnVectorsAndTails() {
        Random r = new Random(7);
        for (Activation a : Activation.values()) {
            for (int n : new int[] {1, 7, 16, 33, 1000}) {
                float[] x = new float[n + 3];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (r.nextGaussian() * 4);
                }
                x[x.length - 1] = 0f;
                float[] y = x.clone();
                a.apply(y, 2, 2 + n);
                for (int i = 0; i < x.length; i++) {
                    double want = i >= 2 && i < 2 + n ? reference(a, x[i]) : x[i];
                    assertEquals(want, y[i], 2e-6 + 2e-6 * Math.abs(want), a + " at " + i + " of " + n + ", x=" + x[i]);
                    assertEquals(reference(a, x[i]), a.apply(x[i]), 2e-6 + 2e-6 * Math.abs(want), a + " scalar");
                }
            }
        }
    }

    @Test
    void namesFollowHuggingFace() {
        assertEquals(Activation.GELU, Activation.fromHuggingFace("gelu"));
        assertEquals(Activation.GELU_TANH, Activation.fromHuggingFace("gelu_new"));
        assertEquals(Activation.GELU_TANH, Activation.fromHuggingFace("gelu_pytorch_tanh"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Activation.fromHuggingFace("swish"));
        assertTrue(e.getMessage().contains("\"swish\""), e.getMessage());
    }

    @Test
    void layerNormMatchesTheDefinitionWithAndWithoutResidual() {
        Random r = new Random(3);
        for (int dim : new int[] {1, 5, 16, 64, 77}) {
            int rows = 70;
            float[] w = new float[dim];
            float[] b = new float[dim];
            for (int i = 0; i < dim; i++) {
                w[i] = (float) r.nextGaussian();
                b[i] = (float) r.nextGaussian();
            }
            LayerNorm ln = LayerNorm.of(w, b, 1e-5);
            float[] x = new float[rows * dim];
            float[] res = new float[rows * dim];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (r.nextGaussian() * 3 + 1);
                res[i] = (float) r.nextGaussian();
            }
            for (boolean withResidual : new boolean[] {false, true}) {
                float[] y = x.clone();
                ln.addAndApply(y, withResidual ? res : null, rows);
                for (int row = 0; row < rows; row++) {
                    double mean = 0;
                    for (int i = 0; i < dim; i++) {
                        mean += x[row * dim + i] + (withResidual ? res[row * dim + i] : 0);
                    }
                    mean /= dim;
                    double var = 0;
                    for (int i = 0; i < dim; i++) {
                        double d = x[row * dim + i] + (withResidual ? res[row * dim + i] : 0) - mean;
                        var += d * d;
                    }
                    var /= dim;
                    for (int i = 0; i < dim; i++) {
                        double v = x[row * dim + i] + (withResidual ? res[row * dim + i] : 0);
                        double want = (v - mean) / Math.sqrt(var + 1e-5) * w[i] + b[i];
                        assertEquals(want, y[row * dim + i], 2e-5 * (1 + Math.abs(want)), "dim " + dim + " row " + row);
                    }
                }
            }
        }
    }

    @Test
    void robertaPositionsCountRealTokensFromPadPlusOne() {
        int[] ids = {0, 5, 1, 1, 7, 1};
        int[] pos = new int[6];
        Positions.roberta(1).fill(ids, 0, 6, pos);
        // Hugging Face: mask = ids != 1; cumsum(mask) * mask + 1
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {2, 3, 1, 1, 4, 1}, pos);
        Positions.fromZero().fill(ids, 0, 6, pos);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, pos);
    }

    @Test
    void bigBirdLayoutFindsRepeatsAsHuggingFaceCountsThem() {
        // 8 blocks, r = 2, one head. Query block 1 lists [0, 1, 2, 7]; a zero table adds block 0 twice.
        int nb = 8;
        int[] zeros = new int[(nb - 2) * 2];
        BigBirdLayout z = BigBirdLayout.fromHuggingFace(zeros, 1, nb * 4 - 1, 4, 2, "t");
        assertTrue(z.hasRepeats());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0, 2}, z.repeats(0, 1));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0, 2}, z.repeats(0, 4));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[0], z.repeats(0, 0));
        // A table drawn outside the window and globals, distinct: no repeats.
        int[] distinct = {4, 5, 5, 6, 1, 6, 1, 2, 2, 3, 3, 4};
        BigBirdLayout d = BigBirdLayout.fromHuggingFace(distinct, 1, nb * 4, 4, 2, "t");
        assertTrue(!d.hasRepeats());
        assertEquals(5, d.kernelTable()[1 * 2 + 1]);
        assertEquals(-1, d.kernelTable()[0]);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> BigBirdLayout.fromHuggingFace(new int[] {9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 1, 32, 4, 2, "rl"));
        assertTrue(e.getMessage().startsWith("rl[0, 0, 0] = 9"), e.getMessage());
    }
}
