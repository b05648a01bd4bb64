package dev.attnc.compiler.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.ir.Attention;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.jit.KernelCompiler;
import dev.attnc.runtime.AdditiveInputs;
import dev.attnc.runtime.AdditiveKernel;
import dev.attnc.runtime.AdditiveReference;
import dev.attnc.runtime.AttentionShape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Fastformer kernels of {@code specs/fastformer.attn} (official code: pooling matrix,
 * shared value; paper: per-head vectors, separate value) against the double-precision
 * reference, with and without the output transform and padding, on lengths that divide
 * nothing. Tolerance {@code 1e-4 + 1e-4·|want|}.
 */
class AdditiveKernelTest {

    @Test
    void bothFastformerSpecsMatchTheReference() {
        Pipeline.Result r =
                Pipeline.compileFile(SpecKernelsTest.specs().resolve("fastformer.attn"), "specs/fastformer.attn");
        int checked = 0;
        for (PatternIR p : r.patterns()) {
            Attention.Additive a = (Attention.Additive) p.attention();
            AdditiveKernel k = (AdditiveKernel) KernelCompiler.load(p, null);
            int heads = p.heads().orElse(2);
            for (int n : new int[] {1, 2, 17, 65, 257}) {
                for (int variant = 0; variant < 3; variant++) {
                    AdditiveInputs in = inputs(p, a, heads, n, variant, n * 7L + variant);
                    float[] got = k.compute(in);
                    double[] want = AdditiveReference.attention(in, p.effectiveScale());
                    for (int x = 0; x < want.length; x++) {
                        double tol = 1e-4 + 1e-4 * Math.abs(want[x]);
                        String where = p.name() + " n=" + n + " variant " + variant + " element " + x;
                        assertEquals(want[x], got[x], tol, where);
                    }
                    checked++;
                }
            }
        }
        assertEquals(2 * 5 * 3, checked);
    }

    @Test
    void poolingWeightsOfTheWrongKindAreRefused() {
        Pipeline.Result r = KernelHarness.compile("pattern f { head_dim 4 heads 2 additive }");
        AdditiveKernel k = (AdditiveKernel) KernelCompiler.load(r.patterns().get(0), null);
        float[] act = new float[3 * 8];
        AdditiveInputs in = AdditiveInputs.builder(new AttentionShape(1, 2, 3, 4))
                .qkv(act, act, null)
                .poolingVectors(new float[8], new float[2], new float[8], new float[2])
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> k.compute(in));
        assertEquals(
                "W_qa, W_ka: pattern 'f' pools with full matrices [2, 8]; got per-head vectors [2, 4]", e.getMessage());
    }

    /** variant 0: plain; 1: output transform; 2: output transform and padding. */
    private static AdditiveInputs inputs(PatternIR p, Attention.Additive a, int heads, int n, int variant, long seed) {
        Random rnd = new Random(seed);
        int d = p.headDim();
        int e = heads * d;
        int batch = variant == 2 ? 3 : 1;
        AdditiveInputs.Builder b = AdditiveInputs.builder(new AttentionShape(batch, heads, n, d))
                .qkv(
                        rand(rnd, batch * n * e),
                        rand(rnd, batch * n * e),
                        a.sharedValue() ? null : rand(rnd, batch * n * e));
        if (a.poolingMatrix()) {
            b.poolingMatrices(rand(rnd, heads * e), rand(rnd, heads), rand(rnd, heads * e), rand(rnd, heads));
        } else {
            b.poolingVectors(rand(rnd, heads * d), rand(rnd, heads), rand(rnd, heads * d), rand(rnd, heads));
        }
        if (variant > 0) {
            b.outputTransform(rand(rnd, e * e), rand(rnd, e));
        }
        if (variant == 2) {
            boolean[] valid = new boolean[batch * n];
            for (int x = 0; x < valid.length; x++) {
                valid[x] = x % n < n - x / n && rnd.nextInt(5) != 0;
            }
            b.keyValid(valid);
        }
        return b.build();
    }

    /** {@code size} uniform values in [−1, 1). */
    static float[] rand(Random rnd, int size) {
        float[] f = new float[size];
        for (int x = 0; x < size; x++) {
            f[x] = rnd.nextFloat() * 2 - 1;
        }
        return f;
    }
}
