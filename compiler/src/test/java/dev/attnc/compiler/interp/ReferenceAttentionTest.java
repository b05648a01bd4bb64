package dev.attnc.compiler.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.attnc.compiler.frontend.CompilationUnit;
import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.DenseReference;
import dev.attnc.runtime.TensorLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The spec-driven oracle equals the dense reference under a hand-written mask of the same pattern. */
class ReferenceAttentionTest {

    private static float[] random(int size, long seed) {
        Random r = new Random(seed);
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    @Test
    void longformerWithRuntimeGlobalsPaddingAndGlobalProjections() {
        CompilationUnit unit = MaskInterpreterTest.unit(
                "pattern lf { head_dim 4 heads 2 window 2 dilation 1 dilation 2 on heads 1 global tokens [0] and from input }");
        AttentionShape s = new AttentionShape(2, 2, 11, 4);
        boolean[] runtimeGlobal = new boolean[22];
        runtimeGlobal[5] = true; // batch 0, token 5
        runtimeGlobal[11 + 9] = true; // batch 1, token 9
        AttentionInputs in = AttentionInputs.builder(s, TensorLayout.BLHD)
                .qkv(random(s.elements(), 1), random(s.elements(), 2), random(s.elements(), 3))
                .globalProjections(random(s.elements(), 4), random(s.elements(), 5), random(s.elements(), 6))
                .globalMask(runtimeGlobal)
                .validLengths(11, 10)
                .build();
        double[] got = ReferenceAttention.compute(unit, "lf", in, 0.5);

        DenseReference.GlobalRows global = (b, h, i) -> i == 0 || runtimeGlobal[b * 11 + i];
        double[] want = DenseReference.attention(
                in,
                (b, h, i, j) -> {
                    int dil = h == 1 ? 2 : 1;
                    boolean window = (j - i) % dil == 0 && Math.abs(j - i) <= 2 * dil;
                    return window || global.isGlobal(b, h, i) || global.isGlobal(b, h, j);
                },
                global,
                0.5);
        assertArrayEquals(want, got, 1e-12);
    }

    /**
     * Score modifiers in the oracle, against attention written out by hand for one row: d = 1,
     * head 1 of 2 (scale 0.5, slope 0.25 from the lists), cap 2, causal, query 2 over keys 0..2.
     */
    @Test
    void scoreModifiersFollowTheDocumentedFormula() {
        CompilationUnit unit = MaskInterpreterTest.unit("pattern m { head_dim 1 heads 2 scale [1.0, 0.5] per head"
                + " softcap 2.0 alibi [0.5, 0.25] per head causal }");
        AttentionShape s = new AttentionShape(1, 2, 3, 1);
        float[] q = {0, 0, 0, 0, 0, 3}; // bhld: head 1, query 2 is 3
        float[] k = {0, 0, 0, 1, -2, 4};
        float[] v = {0, 0, 0, 10, 20, 30};
        AttentionInputs in =
                AttentionInputs.builder(s, TensorLayout.BHLD).qkv(q, k, v).build();
        double[] got = ReferenceAttention.compute(unit, "m", in, 0.125);
        double[] score = new double[3];
        double sum = 0;
        for (int j = 0; j < 3; j++) {
            double x = 0.5 * 3 * k[3 + j];
            score[j] = Math.exp(2 * Math.tanh(x / 2) + 0.25 * (j - 2));
            sum += score[j];
        }
        double want = (score[0] * 10 + score[1] * 20 + score[2] * 30) / sum;
        assertEquals(want, got[5], 1e-12);
        double[] lse = ReferenceAttention.logSumExp(unit, "m", in, 0.125);
        assertEquals(Math.log(sum), lse[3 + 2], 1e-12);
    }
}
