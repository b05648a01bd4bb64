package dev.attnc.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ScoreMods}: Bloom's ALiBi slopes against the values Hugging Face computes
 * ({@code alibi/bloom_slopes.txt}, written by {@code alibi/bloom_slopes.py} from transformers'
 * {@code build_alibi_tensor}, float32: compared within 1e-6 relative), and the log2-unit step the
 * Java engine runs (cap and bias on allowed scores, {@code -∞} kept).
 */
class ScoreModsTest {

    @Test
    void bloomSlopesAreHuggingFaces() throws IOException {
        List<String> lines;
        try (InputStream in = ScoreModsTest.class.getResourceAsStream("/alibi/bloom_slopes.txt")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
        }
        int checked = 0;
        for (String line : lines) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split(" ");
            int heads = Integer.parseInt(f[0]);
            assertEquals(heads, f.length - 1, "values on the line of H = " + heads);
            double[] got = ScoreMods.bloomSlopes(heads);
            for (int h = 0; h < heads; h++) {
                double want = Double.parseDouble(f[1 + h]);
                assertEquals(want, got[h], 1e-6 * want, "slope of head " + h + " of " + heads);
                checked++;
            }
        }
        assertTrue(checked > 300, "slopes checked: " + checked);
    }

    @Test
    void explicitSlopesAndScalesArePerHead() {
        ScoreMods m = new ScoreMods(new double[] {0.5, 0.25}, 0, true, new double[] {0.1, 0.2});
        assertEquals(0.25, m.scale(1, 0.125));
        assertEquals(0.2, m.slope(1, 2));
        assertEquals(0.125, ScoreMods.NONE.scale(1, 0.125));
        assertEquals(0, ScoreMods.NONE.slope(1, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.slope(2, 3));
        assertTrue(e.getMessage().contains("head 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ScoreMods(null, -1, false, null));
        assertEquals(new ScoreMods(new double[] {0.5, 0.25}, 0, true, new double[] {0.1, 0.2}), m);
        assertEquals(
                m.hashCode(), new ScoreMods(new double[] {0.5, 0.25}, 0, true, new double[] {0.1, 0.2}).hashCode());
        assertTrue(!m.equals(new ScoreMods(null, 0, true, new double[] {0.1, 0.2})));
    }

    @Test
    void theLog2StepCapsAndBiasesAllowedScoresOnly() {
        double log2e = 1 / Math.log(2);
        ScoreMods m = new ScoreMods(null, 2.0, true, new double[] {0.5});
        // one row (query 10), three keys 7, 10, 12; the middle one masked
        float[] s = {(float) (3 * log2e), Float.NEGATIVE_INFINITY, (float) (-1 * log2e)};
        m.applyLog2(0, 1, new int[] {10}, 0, 1, new int[] {7, 10, 12}, 0, 3, s, 3);
        assertEquals((2 * Math.tanh(1.5) + 0.5 * (7 - 10)) * log2e, s[0], 1e-5);
        assertEquals(Float.NEGATIVE_INFINITY, s[1]);
        assertEquals((2 * Math.tanh(-0.5) + 0.5 * (12 - 10)) * log2e, s[2], 1e-5);
    }

    /** The engine's tanh against Math.tanh: within 1 ulp of the float result, from 1e-8 to 30 and at 0. */
    @Test
    void tanhIsWithinOneUlp() {
        assertEquals(0f, ScoreMods.tanh(0f));
        for (double x = 1e-8; x < 30; x *= 1.01) {
            for (float v : new float[] {(float) x, (float) -x}) {
                float want = (float) Math.tanh(v);
                assertEquals(want, ScoreMods.tanh(v), Math.ulp(want), "tanh(" + v + ")");
            }
        }
    }
}
