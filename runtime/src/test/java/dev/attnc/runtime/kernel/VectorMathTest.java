package dev.attnc.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class VectorMathTest {

    @Test
    void vectorAndScalarExpAreWithin2e7OfMathExpFromMinus87To16() {
        float[] xs = new float[VectorMath.LANES];
        float[] got = new float[VectorMath.LANES];
        double worst = 0;
        float worstX = 0;
        for (int k = 0; k <= 2_000_000; k += VectorMath.LANES) {
            for (int l = 0; l < xs.length; l++) {
                xs[l] = Math.max(-87f, 16f - 103f * (k + l) / 2_000_000f);   // [-87, 16]
            }
            VectorMath.expNonPositive(FloatVector.fromArray(VectorMath.SPECIES, xs, 0)).intoArray(got, 0);
            for (int l = 0; l < xs.length; l++) {
                double want = Math.exp(xs[l]);
                double rel = Math.abs(got[l] - want) / want;
                if (rel > worst) {
                    worst = rel;
                    worstX = xs[l];
                }
                assertEquals(got[l], VectorMath.expNonPositive(xs[l]), Math.ulp(got[l]), "scalar twin at " + xs[l]);
            }
        }
        assertTrue(worst < 2e-7, "worst relative error " + worst + " at " + worstX);
    }

    @Test
    void belowMinus87AndMinusInfinityGiveExactlyZero() {
        float[] xs = new float[VectorMath.LANES];
        java.util.Arrays.fill(xs, Float.NEGATIVE_INFINITY);
        xs[0] = -87.5f;
        xs[xs.length - 1] = -1e30f;
        float[] got = new float[xs.length];
        VectorMath.expNonPositive(FloatVector.fromArray(VectorMath.SPECIES, xs, 0)).intoArray(got, 0);
        for (float g : got) {
            assertEquals(0f, g);
        }
        assertEquals(0f, VectorMath.expNonPositive(Float.NEGATIVE_INFINITY));
        assertEquals(1f, VectorMath.expNonPositive(0f));
    }

    @Test
    void theForcedWidthIsHonouredAndBadWidthsAreNamed() {
        String forced = System.getProperty("attnc.vector.bits");
        if (forced != null && !forced.isBlank()) {
            assertEquals(Integer.parseInt(forced.trim()), VectorMath.SPECIES.vectorBitSize());
        }
        assertEquals(128, VectorMath.chooseSpecies("128").vectorBitSize());
        assertEquals(FloatVector.SPECIES_PREFERRED, VectorMath.chooseSpecies(null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VectorMath.chooseSpecies("100"));
        assertEquals("-Dattnc.vector.bits=100 is not a vector width; use 64, 128, 256 or 512 (or leave it unset for the "
                + "machine's preferred width)", e.getMessage());
    }
}
