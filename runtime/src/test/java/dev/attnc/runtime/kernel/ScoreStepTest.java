package dev.attnc.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The vector score step against its scalar twin {@link ScoreMods#applyLog2} and against {@code Math.tanh}. */
class ScoreStepTest {

    private static final int L = FloatVector.SPECIES_PREFERRED.length();

    @Test
    void vectorTanhIsWithinFourTenMillionthsOfTanh() {
        float[] x = new float[L];
        float[] y = new float[L];
        double worst = 0;
        for (int k = -400_000; k <= 400_000; k += L) {
            for (int l = 0; l < L; l++) {
                x[l] = (k + l) * 5e-5f; // [-20, 20]
            }
            ScoreStep.tanh(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, 0))
                    .intoArray(y, 0);
            for (int l = 0; l < L; l++) {
                worst = Math.max(worst, Math.abs(y[l] - Math.tanh(x[l])));
                assertTrue(Math.abs(y[l]) <= 1f, "|tanh| <= 1 at " + x[l]);
            }
        }
        assertTrue(worst < 4e-7, "max |error| " + worst);
    }

    @Test
    void matchesTheScalarStepAndKeepsExcludedPairs() {
        ScoreMods mods = new ScoreMods(null, 3.0, true, null);
        Random rnd = new Random(5);
        int rowsN = 3;
        int ld = 3 * L + 5;
        int tFrom = 2;
        int tTo = ld - 1; // whole vectors and a scalar tail
        int[] rows = {40, 7, 19, 3};
        int[] keys = new int[ld];
        float[] s = new float[rowsN * ld];
        for (int t = 0; t < ld; t++) {
            keys[t] = 5 + 2 * t;
        }
        for (int e = 0; e < s.length; e++) {
            s[e] = rnd.nextInt(5) == 0 ? Float.NEGATIVE_INFINITY : (rnd.nextFloat() * 2 - 1) * 12;
        }
        float[] scalar = s.clone();
        float[] vector = s.clone();
        mods.applyLog2(2, 8, rows, 1, rowsN, keys, tFrom, tTo, scalar, ld);
        ScoreStep.apply(mods, 2, 8, rows, 1, rowsN, keys, tFrom, tTo, vector, ld);
        for (int e = 0; e < s.length; e++) {
            int t = e % ld;
            if (t < tFrom || t >= tTo || s[e] == Float.NEGATIVE_INFINITY) {
                assertEquals(s[e], vector[e], 0f, "untouched at " + e);
            } else {
                assertEquals(scalar[e], vector[e], 2e-5f, "modified score at " + e);
            }
        }
    }
}
