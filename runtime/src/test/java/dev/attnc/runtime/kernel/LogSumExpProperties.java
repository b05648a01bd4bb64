package dev.attnc.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.DenseReference;
import dev.attnc.runtime.TensorLayout;
import dev.attnc.runtime.testing.Gen;
import dev.attnc.runtime.testing.SeededTries;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The engine's log-sum-exp ({@link SparseAttentionKernel#compute(AttentionInputs, float[], float[])})
 * against {@link DenseReference#logSumExp} (double precision, from the pattern's pair-by-pair
 * mask), over random patterns ({@link TestPattern}: dilated windows, globals, random blocks,
 * rows with no key), random schedules (tiles that divide nothing, down to 1), random shapes
 * (lengths 1, 2, 17, …), both layouts, padding with holes, runtime global masks and separate
 * global projections. In every case the output is also compared with the reference, and with
 * the output of {@code compute(in, out)}, which must be bit-identical.
 *
 * <p>Tolerances (fp32 kernel against the double reference): log-sum-exp
 * {@code |got − want| <= 1e-4 + 1e-5·|want|}, {@code -∞} exactly where the reference has it;
 * output {@code |got − want| <= 1e-4 + 1e-4·|want|} (as the compiler's kernel tests).
 */
class LogSumExpProperties {

    static final double LSE_ABS = 1e-4;
    static final double LSE_REL = 1e-5;
    static final double OUT_ABS = 1e-4;
    static final double OUT_REL = 1e-4;

    /** One case: the pattern, the kernel's schedule and the call. */
    record Sample(TestPattern pattern, SparseAttentionKernel.Schedule schedule, TestCall call) {}

    @TestFactory
    Stream<DynamicTest> logSumExpMatchesTheReferenceAndLeavesTheOutputBitIdentical() {
        return SeededTries.forAll(250, 20261207L, LogSumExpProperties::draw, s -> check(s.pattern, s.schedule, s.call));
    }

    static Sample draw(Gen g) {
        int d = g.oneOf(1, 3, 8, 16, 17, 32, 64);
        TestPattern p = new TestPattern(
                d,
                g.chance(0.5) ? 1 / Math.sqrt(d) : g.oneOf(0.3, 1.0),
                g.intBetween(0, 40),
                g.intBetween(-2, 40),
                g.chance(0.7) ? 1 : g.intBetween(2, 3),
                g.chance(0.5),
                g.intBetween(1, 24),
                g.chance(0.5) ? g.intBetween(1, 3) : 0);
        SparseAttentionKernel.Schedule schedule =
                new SparseAttentionKernel.Schedule(g.intBetween(1, 70), g.intBetween(1, 70), g.intBetween(1, 3));
        int n = g.chance(0.4) ? g.oneOf(1, 2, 3, 17, 31, 33, 64, 65, 100) : g.intBetween(1, 260);
        TestCall call = new TestCall(
                g.intBetween(1, 2),
                g.intBetween(1, 3),
                n,
                d,
                g.oneOf(TensorLayout.BHLD, TensorLayout.BLHD),
                g.chance(0.5),
                g.chance(0.4),
                g.chance(0.4),
                g.oneOf(1f, 3f),
                g.longBetween(0, 1L << 40));
        return new Sample(p, schedule, call);
    }

    /**
     * Runs the kernel of {@code p} with and without the log-sum-exp on {@code c}; fails on the
     * first output bit that differs between the two, then on the first row or element beyond
     * the tolerances against the reference.
     */
    static void check(TestPattern p, SparseAttentionKernel.Schedule schedule, TestCall c) {
        AttentionInputs in = c.inputs();
        AttentionShape s = in.shape();
        SparseAttentionKernel kernel = p.kernel(schedule);
        float[] plain = kernel.compute(in);
        float[] out = new float[s.elements()];
        float[] lse = new float[s.batch() * s.heads() * s.length()];
        Arrays.fill(out, Float.NaN);
        Arrays.fill(lse, Float.NaN); // every entry must be written
        kernel.compute(in, out, lse);
        for (int x = 0; x < out.length; x++) {
            if (Float.floatToRawIntBits(out[x]) != Float.floatToRawIntBits(plain[x])) {
                fail("output element " + x + " is " + out[x] + " with the log-sum-exp, " + plain[x] + " without");
            }
        }
        double[] wantLse = DenseReference.logSumExp(in, p.mask(in), p.globalRows(in), p.scale());
        for (int row = 0; row < lse.length; row++) {
            int i = row % s.length();
            String where =
                    "[b " + row / (s.heads() * s.length()) + ", h " + row / s.length() % s.heads() + ", i " + i + "]";
            if (wantLse[row] == Double.NEGATIVE_INFINITY) {
                assertEquals(Float.NEGATIVE_INFINITY, lse[row], () -> "lse " + where + " of a row with no key");
            } else if (!Float.isFinite(lse[row])
                    || Math.abs(lse[row] - wantLse[row]) > LSE_ABS + LSE_REL * Math.abs(wantLse[row])) {
                fail("lse " + where + " = " + lse[row] + ", reference " + wantLse[row] + " (tolerance " + LSE_ABS
                        + " + " + LSE_REL + "·|want|)");
            }
        }
        double[] want = DenseReference.attention(in, p.mask(in), p.globalRows(in), p.scale());
        for (int x = 0; x < want.length; x++) {
            if (!Float.isFinite(out[x]) || Math.abs(out[x] - want[x]) > OUT_ABS + OUT_REL * Math.abs(want[x])) {
                fail("output element " + x + " = " + out[x] + ", reference " + want[x] + " (tolerance " + OUT_ABS
                        + " + " + OUT_REL + "·|want|)");
            }
        }
    }
}
