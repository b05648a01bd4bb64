package dev.attnc.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class VectorMathTest {

    @Test
    void vectorAndScalarExp2AreWithin4e6OfMathPowFromMinus126To16() {
        float[] xs = new float[VectorMath.LANES];
        float[] got = new float[VectorMath.LANES];
        double worst = 0;
        float worstX = 0;
        for (int k = 0; k <= 2_000_000; k += VectorMath.LANES) {
            for (int l = 0; l < xs.length; l++) {
                xs[l] = Math.max(-126f, 16f - 142f * (k + l) / 2_000_000f);
            }
            VectorMath.exp2(FloatVector.fromArray(VectorMath.SPECIES, xs, 0)).intoArray(got, 0);
            for (int l = 0; l < xs.length; l++) {
                double want = Math.pow(2, xs[l]);
                double rel = Math.abs(got[l] - want) / want;
                if (rel > worst) {
                    worst = rel;
                    worstX = xs[l];
                }
                assertEquals(got[l], VectorMath.exp2(xs[l]), Math.ulp(got[l]), "scalar twin at " + xs[l]);
            }
        }
        assertTrue(worst < 4e-6, "worst relative error " + worst + " at " + worstX);
    }

    @Test
    void minusInfinityGivesTheSmallestNormalNotNaN() {
        float[] xs = new float[VectorMath.LANES];
        Arrays.fill(xs, Float.NEGATIVE_INFINITY);
        float[] got = new float[xs.length];
        VectorMath.exp2(FloatVector.fromArray(VectorMath.SPECIES, xs, 0)).intoArray(got, 0);
        for (float g : got) {
            assertEquals(Float.MIN_NORMAL, g, Float.MIN_NORMAL * 1e-5f);
        }
        assertEquals(Float.MIN_NORMAL, VectorMath.exp2(Float.NEGATIVE_INFINITY), Float.MIN_NORMAL * 1e-5f);
        assertEquals(1f, VectorMath.exp2(0f));
        assertEquals(2048f, VectorMath.exp2(11f), 2048f * 4e-6f);
    }

    @Test
    void theForcedWidthIsHonouredAndBadWidthsAreNamed() {
        String forced = System.getProperty("attnc.vector.bits");
        if (forced != null && !forced.isBlank()) {
            assertEquals(Integer.parseInt(forced.trim()), VectorMath.SPECIES.vectorBitSize());
        }
        assertEquals(128, VectorMath.chooseSpecies("128").vectorBitSize());
        assertEquals(FloatVector.SPECIES_PREFERRED, VectorMath.chooseSpecies(null));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> VectorMath.chooseSpecies("100"));
        assertEquals(
                "-Dattnc.vector.bits=100 is not a vector width; use 64, 128, 256 or 512 (or leave it unset for the "
                        + "machine's preferred width)",
                e.getMessage());
    }

    @Test
    void expIsWithin3UlpOfMathExpFromMinus87To88AndClampsOutside() {
        float[] xs = new float[VectorMath.LANES];
        float[] got = new float[VectorMath.LANES];
        double worstUlps = 0;
        float worstX = 0;
        for (int k = 0; k <= 1_000_000; k += VectorMath.LANES) {
            for (int l = 0; l < xs.length; l++) {
                xs[l] = Math.min(88f, -87f + 175f * (k + l) / 1_000_000f);
            }
            VectorMath.exp(FloatVector.fromArray(VectorMath.SPECIES, xs, 0)).intoArray(got, 0);
            for (int l = 0; l < xs.length; l++) {
                double want = Math.exp(xs[l]);
                double ulps = Math.abs(got[l] - want) / Math.ulp((float) want);
                if (ulps > worstUlps) {
                    worstUlps = ulps;
                    worstX = xs[l];
                }
            }
        }
        assertTrue(worstUlps <= 3, "worst error " + worstUlps + " ulp at " + worstX);
        float[] edges = new float[VectorMath.LANES];
        for (int l = 0; l < edges.length; l++) {
            edges[l] = new float[] {Float.NEGATIVE_INFINITY, -1e30f, Float.POSITIVE_INFINITY, 1e30f}[l % 4];
        }
        VectorMath.exp(FloatVector.fromArray(VectorMath.SPECIES, edges, 0)).intoArray(got, 0);
        for (int l = 0; l < edges.length; l++) {
            double want = edges[l] < 0 ? Math.exp(-87) : Math.exp(88);
            assertEquals(want, got[l], 3 * Math.ulp((float) want), "clamped at " + edges[l]);
        }
    }

    @Test
    void tanhIsWithin2e7OfMathTanhAndOdd() {
        float[] xs = new float[VectorMath.LANES];
        float[] got = new float[VectorMath.LANES];
        float[] neg = new float[VectorMath.LANES];
        double worst = 0;
        for (int k = 0; k <= 400_000; k += VectorMath.LANES) {
            for (int l = 0; l < xs.length; l++) {
                xs[l] = -20f + 40f * (k + l) / 400_000f;
            }
            FloatVector x = FloatVector.fromArray(VectorMath.SPECIES, xs, 0);
            VectorMath.tanh(x).intoArray(got, 0);
            VectorMath.tanh(x.neg()).intoArray(neg, 0);
            for (int l = 0; l < xs.length; l++) {
                worst = Math.max(worst, Math.abs(got[l] - Math.tanh(xs[l])));
                assertEquals(-got[l], neg[l], 0f, "odd at " + xs[l]);
            }
        }
        assertTrue(worst <= 2e-7, "worst absolute error " + worst);
    }

    @Test
    void sumAddsTheLanesInLaneOrder() {
        java.util.Random rnd = new java.util.Random(3);
        float[] xs = new float[VectorMath.LANES];
        for (int round = 0; round < 1000; round++) {
            for (int l = 0; l < xs.length; l++) {
                xs[l] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(8) - 4));
            }
            float want = 0f;
            for (float x : xs) {
                want += x;
            }
            assertEquals(want, VectorMath.sum(FloatVector.fromArray(VectorMath.SPECIES, xs, 0)), 0f);
        }
    }
}
