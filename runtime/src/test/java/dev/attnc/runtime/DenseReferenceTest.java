package dev.attnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The dense reference on cases whose answer is known without it. Tolerance 1e-12 (double). */
class DenseReferenceTest {

    private static final double EPS = 1e-12;

    @Test
    void aSingleAllowedKeyReturnsItsValue() {
        AttentionShape s = new AttentionShape(1, 2, 5, 3);
        float[] q = TestArrays.gaussian(s.elements(), 1);
        float[] k = TestArrays.gaussian(s.elements(), 2);
        float[] v = TestArrays.gaussian(s.elements(), 3);
        AttentionInputs in =
                AttentionInputs.builder(s, TensorLayout.BHLD).qkv(q, k, v).build();
        double[] out =
                DenseReference.attention(in, (b, h, i, j) -> j == (i + 1) % 5, DenseReference.GlobalRows.NONE, 0.5);
        for (int h = 0; h < 2; h++) {
            for (int i = 0; i < 5; i++) {
                for (int x = 0; x < 3; x++) {
                    assertEquals(v[(h * 5 + (i + 1) % 5) * 3 + x], out[(h * 5 + i) * 3 + x], EPS);
                }
            }
        }
    }

    @Test
    void equalScoresAverageTheValuesAndEmptyRowsAreZero() {
        AttentionShape s = new AttentionShape(1, 1, 4, 2);
        float[] q = new float[8]; // q = 0: every score is 0
        float[] k = TestArrays.gaussian(8, 5);
        float[] v = {1, 2, 3, 4, 5, 6, 7, 8};
        AttentionInputs in =
                AttentionInputs.builder(s, TensorLayout.BHLD).qkv(q, k, v).build();
        double[] out = DenseReference.attention(in, (b, h, i, j) -> j <= i && i < 3, DenseReference.GlobalRows.NONE, 1);
        assertArrayEquals(new double[] {1, 2, 2, 3, 3, 4, 0, 0}, out, EPS);
    }

    @Test
    void paddingExcludesKeysAndZeroesQueries() {
        AttentionShape s = new AttentionShape(2, 1, 3, 1);
        float[] q = new float[6];
        float[] k = new float[6];
        float[] v = {1, 2, 100, 4, 5, 6};
        AttentionInputs in = AttentionInputs.builder(s, TensorLayout.BHLD)
                .qkv(q, k, v)
                .validLengths(2, 3)
                .build();
        double[] out = DenseReference.attention(in, (b, h, i, j) -> true, DenseReference.GlobalRows.NONE, 1);
        assertArrayEquals(new double[] {1.5, 1.5, 0, 5, 5, 5}, out, EPS);
    }

    @Test
    void bothLayoutsGiveTheSameAttention() {
        AttentionShape s = new AttentionShape(2, 3, 7, 4);
        float[] q = TestArrays.gaussian(s.elements(), 7);
        float[] k = TestArrays.gaussian(s.elements(), 8);
        float[] v = TestArrays.gaussian(s.elements(), 9);
        MaskFunction m = (b, h, i, j) -> Math.abs(i - j) <= h + 1;
        double[] bhld = DenseReference.attention(
                AttentionInputs.builder(s, TensorLayout.BHLD).qkv(q, k, v).build(),
                m,
                DenseReference.GlobalRows.NONE,
                0.5);
        double[] tokenMajor = DenseReference.attention(
                AttentionInputs.builder(s, TensorLayout.BLHD)
                        .qkv(transpose(s, q), transpose(s, k), transpose(s, v))
                        .build(),
                m,
                DenseReference.GlobalRows.NONE,
                0.5);
        for (int b = 0; b < 2; b++) {
            for (int h = 0; h < 3; h++) {
                for (int i = 0; i < 7; i++) {
                    for (int x = 0; x < 4; x++) {
                        assertEquals(
                                bhld[(int) TensorLayout.BHLD.index(s, b, h, i, x)],
                                tokenMajor[(int) TensorLayout.BLHD.index(s, b, h, i, x)],
                                EPS);
                    }
                }
            }
        }
    }

    private static float[] transpose(AttentionShape s, float[] bhld) {
        float[] out = new float[bhld.length];
        for (int b = 0; b < s.batch(); b++) {
            for (int h = 0; h < s.heads(); h++) {
                for (int i = 0; i < s.length(); i++) {
                    for (int x = 0; x < s.headDim(); x++) {
                        out[(int) TensorLayout.BLHD.index(s, b, h, i, x)] =
                                bhld[(int) TensorLayout.BHLD.index(s, b, h, i, x)];
                    }
                }
            }
        }
        return out;
    }

    @Test
    void globalRowsUseTheirOwnProjectionsOverEveryValidKey() {
        AttentionShape s = new AttentionShape(1, 1, 3, 1);
        float[] zero = new float[3];
        float[] vg = {10, 20, 30};
        AttentionInputs in = AttentionInputs.builder(s, TensorLayout.BHLD)
                .qkv(zero, zero, new float[] {1, 2, 3})
                .globalProjections(zero, zero, vg)
                .build();
        // Row 0 is global: uses vg over all keys although the mask allows only the diagonal.
        double[] out = DenseReference.attention(in, (b, h, i, j) -> i == j, (b, h, i) -> i == 0, 1);
        assertArrayEquals(new double[] {20, 2, 3}, out, EPS);
    }

    @Test
    void hugeLogitsStayFinite() {
        AttentionShape s = new AttentionShape(1, 1, 3, 1);
        AttentionInputs in = AttentionInputs.builder(s, TensorLayout.BHLD)
                .qkv(new float[] {100, -100, 1}, new float[] {100, -100, 0}, new float[] {1, 2, 3})
                .build();
        double[] out = DenseReference.attention(in, (b, h, i, j) -> true, DenseReference.GlobalRows.NONE, 1);
        for (double o : out) {
            assertTrue(Double.isFinite(o));
        }
        assertEquals(1, out[0], 1e-9); // logits 1e4, -1e4, 0: all weight on key 0
        assertEquals(2, out[1], 1e-9);
    }

    @Test
    void logSumExpIsTheLogOfTheKeyCountForEqualScoresAndMinusInfinityForEmptyAndPaddedRows() {
        AttentionShape s = new AttentionShape(2, 1, 4, 2);
        float[] q = new float[16]; // q = 0: every score is 0, Σ exp = |S(i)|
        float[] k = TestArrays.gaussian(16, 5);
        AttentionInputs in = AttentionInputs.builder(s, TensorLayout.BHLD)
                .qkv(q, k, k)
                .validLengths(4, 3)
                .build();
        // Row i attends j <= i + 1, except row 1, which attends nothing; item 1's token 3 is padding.
        double[] lse =
                DenseReference.logSumExp(in, (b, h, i, j) -> j <= i + 1 && i != 1, DenseReference.GlobalRows.NONE, 1);
        double inf = Double.NEGATIVE_INFINITY;
        double[] want = {Math.log(2), inf, Math.log(4), Math.log(4), Math.log(2), inf, Math.log(3), inf};
        assertArrayEquals(want, lse, EPS);
    }

    @Test
    void logSumExpOfOneKeyIsItsScoreAndGlobalRowsUseTheirOwnProjections() {
        AttentionShape s = new AttentionShape(1, 1, 3, 1);
        AttentionInputs in = AttentionInputs.builder(s, TensorLayout.BHLD)
                .qkv(new float[] {1, 2, 3}, new float[] {4, 5, 6}, new float[3])
                .globalProjections(new float[] {0.5f, 0, 0}, new float[] {1, 2, 3}, new float[3])
                .build();
        // Row 0 is global: qg·kg over every key, scores 0.5·{1, 2, 3}·0.5; rows 1, 2 attend key 0 alone.
        double[] lse = DenseReference.logSumExp(in, (b, h, i, j) -> j == 0, (b, h, i) -> i == 0, 0.5);
        assertEquals(Math.log(Math.exp(0.25) + Math.exp(0.5) + Math.exp(0.75)), lse[0], EPS);
        assertEquals(0.5 * 2 * 4, lse[1], EPS);
        assertEquals(0.5 * 3 * 4, lse[2], EPS);
    }

    @Test
    void hugeLogitsGiveAFiniteLogSumExp() {
        AttentionShape s = new AttentionShape(1, 1, 2, 1);
        AttentionInputs in = AttentionInputs.builder(s, TensorLayout.BHLD)
                .qkv(new float[] {100, 100}, new float[] {100, 100}, new float[2])
                .build();
        double[] lse = DenseReference.logSumExp(in, (b, h, i, j) -> true, DenseReference.GlobalRows.NONE, 1);
        assertEquals(1e4 + Math.log(2), lse[0], 1e-9);
    }

    @Test
    void wrongShapesNameTheArgumentAndTheExpectedShape() {
        AttentionShape s = new AttentionShape(2, 12, 100, 64);
        float[] ok = new float[s.elements()];
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> AttentionInputs.builder(s, TensorLayout.BHLD)
                        .qkv(ok, new float[1000], ok)
                        .build());
        assertEquals(
                "k: expected float [2, 12, 100, 64] in layout BHLD (153600 floats), got 1000 floats", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> AttentionInputs.builder(s, TensorLayout.BLHD)
                        .qkv(ok, ok, null)
                        .build());
        assertEquals("v is missing: expected float [2, 100, 768] in layout BLHD", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> AttentionInputs.builder(s, TensorLayout.BHLD)
                        .qkv(ok, ok, ok)
                        .keyValid(new boolean[100])
                        .build());
        assertEquals("keyValid: expected boolean [2, 100] (200 values), got 100 values", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> AttentionInputs.builder(s, TensorLayout.BHLD)
                        .qkv(ok, ok, ok)
                        .globalProjections(ok, null, ok)
                        .build());
        assertEquals("qg, kg, vg: give all three separate global projections or none (got qg vg)", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> AttentionInputs.builder(s, TensorLayout.BHLD)
                        .qkv(ok, ok, ok)
                        .randomLayout(new int[5], 64, 3)
                        .build());
        assertEquals("randomLayout: expected int[H·nQueryBlocks·r] = [12, 2, 3] (72 ints), got 5 ints", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AttentionShape(1, 0, 8, 64));
        assertEquals("heads must be at least 1, got 0", e.getMessage());
    }
}
