package dev.attnc.compiler.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.kernels.KernelHarness.Case;
import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionKernel;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.TensorLayout;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Edge cases of the numbers: huge logits, rows with no key, padded rows, head dims and batch sizes of the issue. */
class KernelNumericsTest {

    @Test
    void logitsOfTenThousandGiveFiniteOutputsThatMatchTheReference() {
        Pipeline.Result r = KernelHarness.compile("pattern p { head_dim 64  window 40  global tokens [0] }");
        PatternIR p = r.patterns().get(0);
        AttentionKernel k = KernelHarness.load(p);
        // q, k in [-35, 35]: q·k/8 reaches ±1e4 and beyond (checked below).
        AttentionInputs in =
                KernelHarness.inputs(p, new Case(2, 2, 200, TensorLayout.BHLD, true, false, false, 0, 7), 35f);
        float[] out = k.compute(in);
        double maxLogit = 0;
        float[] q = in.q();
        float[] kk = in.k();
        for (int i = 0; i < 200; i++) {
            double dot = 0;
            for (int x = 0; x < 64; x++) {
                dot += q[i * 64 + x] * kk[((i + 1) % 200) * 64 + x];
            }
            maxLogit = Math.max(maxLogit, Math.abs(dot / 8));
        }
        assertTrue(maxLogit > 1e3, "the test must reach huge logits, got " + maxLogit);
        for (float f : out) {
            assertTrue(Float.isFinite(f), "non-finite output");
        }
        // Near one-hot softmax: an fp32 logit of 1e4 is exact to ~1e-3, so the tolerance is wider here.
        double[] want = dev.attnc.compiler.interp.ReferenceAttention.compute(
                r.unit().orElseThrow(), "p", in, p.effectiveScale());
        for (int x = 0; x < want.length; x++) {
            assertEquals(want[x], out[x], 2e-2 + 2e-2 * Math.abs(want[x]), "element " + x);
        }
    }

    @Test
    void aRowWithNoAllowedKeyAndAPaddedRowGiveZeroNeverNaN() {
        // causal - window 0: row 0 attends nothing; every other row attends its strict past.
        Pipeline.Result r = KernelHarness.compile("pattern p { head_dim 16  causal - window 0 }");
        PatternIR p = r.patterns().get(0);
        AttentionKernel k = KernelHarness.load(p);
        AttentionShape shape = new AttentionShape(2, 1, 5, 16);
        float[] ones = new float[shape.elements()];
        Arrays.fill(ones, 1f);
        AttentionInputs in = AttentionInputs.builder(shape, TensorLayout.BHLD)
                .qkv(ones, ones, ones)
                .validLengths(5, 0)
                .build();
        float[] out = k.compute(in);
        for (int x = 0; x < 16; x++) {
            assertEquals(0f, out[x], "row 0 has no key");
            assertEquals(1f, out[16 + x], 1e-6, "row 1 averages ones");
        }
        for (int x = 5 * 16; x < out.length; x++) {
            assertEquals(0f, out[x], "batch item 1 is all padding");
        }
    }

    @Test
    void paddingIsNeverReadEvenWhenItHoldsNaN() {
        Pipeline.Result r = KernelHarness.compile("pattern p { head_dim 16  window 9  global tokens [0, -1] }");
        PatternIR p = r.patterns().get(0);
        AttentionKernel k = KernelHarness.load(p);
        AttentionInputs clean =
                KernelHarness.inputs(p, new Case(2, 2, 70, TensorLayout.BLHD, true, false, false, 0, 3), 2f);
        AttentionShape s = clean.shape();
        float[] q = clean.q().clone();
        float[] kk = clean.k().clone();
        float[] v = clean.v().clone();
        boolean[] valid = new boolean[s.batch() * s.length()];
        for (int b = 0; b < s.batch(); b++) {
            for (int i = 0; i < s.length(); i++) {
                valid[b * s.length() + i] = clean.isValid(b, i);
                if (!clean.isValid(b, i)) {
                    for (int h = 0; h < s.heads(); h++) {
                        for (int x = 0; x < s.headDim(); x++) {
                            int at = (int) TensorLayout.BLHD.index(s, b, h, i, x);
                            q[at] = Float.NaN;
                            kk[at] = Float.NaN;
                            v[at] = Float.POSITIVE_INFINITY;
                        }
                    }
                }
            }
        }
        AttentionInputs dirty = AttentionInputs.builder(s, TensorLayout.BLHD)
                .qkv(q, kk, v)
                .keyValid(valid)
                .build();
        assertArrayEqualsExactly(k.compute(clean), k.compute(dirty));
    }

    private static void assertArrayEqualsExactly(float[] want, float[] got) {
        for (int x = 0; x < want.length; x++) {
            assertEquals(want[x], got[x], "element " + x + ": padding values must not reach any output");
        }
    }

    @Test
    void everyHeadDimAndBatchOfTheIssue() {
        for (int d : new int[] {16, 32, 64, 128}) {
            Pipeline.Result r = KernelHarness.compile("pattern p { head_dim " + d
                    + "  window 20 before, 5 after  global tokens [0, -1] and from input }");
            PatternIR p = r.patterns().get(0);
            AttentionKernel k = KernelHarness.load(p);
            for (int batch = 1; batch <= 3; batch++) {
                for (int n : new int[] {1, 63, 65, 130}) {
                    KernelHarness.compare(
                            r.unit().orElseThrow(),
                            p,
                            k,
                            new Case(
                                    batch,
                                    batch == 3 ? 12 : 1 + batch,
                                    n,
                                    batch == 2 ? TensorLayout.BLHD : TensorLayout.BHLD,
                                    n != 63,
                                    true,
                                    batch == 1,
                                    0,
                                    d * 31L + n),
                            2f);
                }
            }
        }
    }

    @Test
    void wrongArgumentsAreNamedWithTheExpectedShape() {
        Pipeline.Result r = KernelHarness.compile("pattern p { head_dim 32 heads 4  window 3 }");
        AttentionKernel k = KernelHarness.load(r.patterns().get(0));
        AttentionShape wrongDim = new AttentionShape(1, 4, 10, 16);
        float[] a = new float[wrongDim.elements()];
        AttentionInputs in = AttentionInputs.builder(wrongDim, TensorLayout.BHLD)
                .qkv(a, a, a)
                .build();
        IllegalArgumentException e =
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> k.compute(in));
        assertEquals(
                "q, k, v: pattern 'p' was compiled for head dim 32, got [1, 4, 10, 16] in layout BHLD (head dim 16)",
                e.getMessage());
        AttentionShape wrongHeads = new AttentionShape(1, 3, 10, 32);
        float[] b = new float[wrongHeads.elements()];
        AttentionInputs in2 = AttentionInputs.builder(wrongHeads, TensorLayout.BLHD)
                .qkv(b, b, b)
                .build();
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> k.compute(in2));
        assertEquals("q, k, v: pattern 'p' has 4 heads, got [1, 10, 96] in layout BLHD (3 heads)", e.getMessage());
        AttentionShape ok = new AttentionShape(1, 4, 10, 32);
        float[] c = new float[ok.elements()];
        AttentionInputs in3 =
                AttentionInputs.builder(ok, TensorLayout.BHLD).qkv(c, c, c).build();
        e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> k.compute(in3, new float[5]));
        assertEquals("out: expected float [1, 4, 10, 32] (1280 floats), got 5 floats", e.getMessage());
    }
}
