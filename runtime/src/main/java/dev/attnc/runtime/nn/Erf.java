package dev.attnc.runtime.nn;

import dev.attnc.runtime.kernel.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The error function for the exact GELU, in float (vector) and double (scalar).
 *
 * <p>Vector form: {@code erf(x) = sign(x)·(1 − t·exp(−x² + P(t)))} with {@code t = 1/(1 + |x|/2)}
 * (Numerical Recipes' {@code erfc} Chebyshev fit, fractional error below 1.2e-7 everywhere),
 * so the float result is as good as float rounding allows. The scalar form uses the same fit in
 * double.
 */
final class Erf {

    private static final float[] C = {
        -1.26551223f,
        1.00002368f,
        0.37409196f,
        0.09678418f,
        -0.18628806f,
        0.27886807f,
        -1.13520398f,
        1.48851587f,
        -0.82215223f,
        0.17087277f
    };

    private Erf() {}

    static double erf(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double p = C[9];
        for (int i = 8; i >= 0; i--) {
            p = p * t + C[i];
        }
        double erfc = t * Math.exp(-z * z + p);
        return x >= 0 ? 1.0 - erfc : erfc - 1.0;
    }

    static FloatVector erf(FloatVector x) {
        FloatVector z = x.abs();
        FloatVector t = FloatVector.broadcast(x.species(), 1f).div(z.mul(0.5f).add(1f));
        FloatVector p = t.mul(C[9]).add(C[8]);
        p = p.mul(t).add(C[7]);
        p = p.mul(t).add(C[6]);
        p = p.mul(t).add(C[5]);
        p = p.mul(t).add(C[4]);
        p = p.mul(t).add(C[3]);
        p = p.mul(t).add(C[2]);
        p = p.mul(t).add(C[1]);
        p = p.mul(t).add(C[0]);
        FloatVector erfc = t.mul(VectorMath.exp(z.mul(z).neg().add(p)));
        FloatVector pos = erfc.neg().add(1f);
        return pos.blend(erfc.sub(1f), x.compare(VectorOperators.LT, 0f));
    }
}
