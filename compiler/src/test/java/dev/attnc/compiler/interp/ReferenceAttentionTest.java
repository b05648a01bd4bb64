package dev.attnc.compiler.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

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
}
