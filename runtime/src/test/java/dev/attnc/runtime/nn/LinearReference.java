package dev.attnc.runtime.nn;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;

/**
 * The independent reference of the {@link Linear} tests: {@code y = x · Wᵀ + b} summed in
 * double precision straight from PyTorch's {@code [out, in]} layout, and the comparison with
 * its tolerance.
 *
 * <p>Tolerance: {@code |y - ref| <= (in + 8) · 2⁻²³ · (|b[o]| + Σ_i |x[r, i] · W[o, i]|)}. The
 * layer computes each output as float FMA chains over ranges of the input features plus one
 * add per range (the first adding the bias): at most {@code in + in/KC + 1} roundings of
 * relative size {@code 2⁻²⁴}, each of a partial sum bounded by that scale, so the first-order
 * bound is about {@code (in + 2) · 2⁻²⁴ · scale}; the test allows twice that and a few
 * roundings more, and nothing that depends on the data's cancellation.
 */
final class LinearReference {

    private LinearReference() {}

    /** Uniform floats in [-1, 1). */
    static float[] random(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return a;
    }

    /**
     * Checks {@code y[yOffset + r·out + o]} against the double reference for every {@code r < rows},
     * {@code o < out}; the message names the shape, the element and both values.
     */
    static void check(
            String what,
            float[] x,
            int xOffset,
            float[] weight,
            float[] bias,
            int rows,
            int in,
            int out,
            float[] y,
            int yOffset) {
        double eps = Math.scalb(1.0, -23);
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double b = bias == null ? 0 : bias[o];
                double sum = b;
                double scale = Math.abs(b);
                for (int i = 0; i < in; i++) {
                    double p = (double) x[xOffset + r * in + i] * weight[o * in + i];
                    sum += p;
                    scale += Math.abs(p);
                }
                double got = y[yOffset + r * out + o];
                double tol = (in + 8) * eps * scale;
                if (!(Math.abs(got - sum) <= tol)) {
                    fail(what + ": rows " + rows + ", in " + in + ", out " + out + ": y[" + r + ", " + o + "] = " + got
                            + ", reference " + sum + ", tolerance " + tol);
                }
            }
        }
    }
}
