package dev.attnc.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionKernel;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.DenseReference;
import dev.attnc.runtime.TensorLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand cases of the log-sum-exp output: rows with no key, a call large enough to run in
 * parallel, merging the output with extra keys (what a caller reproducing Hugging Face
 * BigBird's repeated random blocks does), argument errors and kernels without it. Tolerances
 * as {@link LogSumExpProperties}: log-sum-exp {@code 1e-4 + 1e-5·|want|}, output
 * {@code 1e-4 + 1e-4·|want|}.
 */
class LogSumExpTest {

    private static final SparseAttentionKernel.Schedule SMALL = new SparseAttentionKernel.Schedule(5, 7, 2);

    /** Keys {@code i−3 .. i−1} (head 0) or {@code i−4 .. i−2} (head 1): the first rows of a head attend none. */
    private static final TestPattern PAST_ONLY = new TestPattern(8, 0.35, 3, -1, 1, false, 1, 0);

    @Test
    void rowsWithNoKeyAndPaddedRowsHaveMinusInfinityAndOutputZero() {
        AttentionShape s = new AttentionShape(2, 2, 12, 8);
        TestCall call = new TestCall(2, 2, 12, 8, TensorLayout.BHLD, false, false, false, 1f, 3);
        boolean[] valid = new boolean[2 * 12];
        Arrays.fill(valid, true);
        valid[4] = valid[5] = valid[6] = false; // item 0: row 7 (keys 4..6 in head 0) is valid but has no key
        Arrays.fill(valid, 12 + 9, 24, false); // item 1: rows 9..11 are padding
        AttentionInputs base = call.inputs();
        AttentionInputs in = AttentionInputs.builder(s, TensorLayout.BHLD)
                .qkv(base.q(), base.k(), base.v())
                .keyValid(valid)
                .build();
        SparseAttentionKernel kernel = PAST_ONLY.kernel(SMALL);
        float[] out = new float[s.elements()];
        float[] lse = new float[2 * 2 * 12];
        kernel.compute(in, out, lse);
        int[][] empty = {
            {0, 0, 0}, {0, 0, 4}, {0, 0, 5}, {0, 0, 6}, {0, 0, 7}, {0, 1, 0}, {0, 1, 1}, {1, 0, 0}, {1, 1, 0}, {1, 1, 1}
        };
        for (int[] r : empty) {
            int row = (r[0] * 2 + r[1]) * 12 + r[2];
            assertEquals(Float.NEGATIVE_INFINITY, lse[row], () -> "lse of empty row " + Arrays.toString(r));
            for (int x = 0; x < 8; x++) {
                assertEquals(0f, out[row * 8 + x], () -> "output of empty row " + Arrays.toString(r));
            }
        }
        for (int h = 0; h < 2; h++) {
            for (int i = 9; i < 12; i++) {
                assertEquals(Float.NEGATIVE_INFINITY, lse[(2 + h) * 12 + i], "padded row " + i);
            }
        }
        double[] want = DenseReference.logSumExp(in, PAST_ONLY.mask(in), PAST_ONLY.globalRows(in), PAST_ONLY.scale());
        for (int row = 0; row < lse.length; row++) {
            if (want[row] == Double.NEGATIVE_INFINITY) {
                assertEquals(Float.NEGATIVE_INFINITY, lse[row], "row " + row);
            } else {
                assertEquals(want[row], lse[row], 1e-4 + 1e-5 * Math.abs(want[row]), "row " + row);
            }
        }
        // Row 8 of item 0, head 0 attends key 7 alone: its log-sum-exp is that score.
        double score = 0;
        for (int x = 0; x < 8; x++) {
            score += (double) in.q()[8 * 8 + x] * in.k()[7 * 8 + x];
        }
        assertEquals(0.35 * score, lse[8], 1e-5);
    }

    @Test
    void aCallLargeEnoughToRunInParallelMatchesTheReference() {
        // B·H·n = 2400 query rows: the scheduler runs the tasks on the fork-join pool.
        TestPattern p = new TestPattern(8, 1 / Math.sqrt(8), 6, 6, 1, true, 16, 2);
        TestCall c = new TestCall(2, 3, 400, 8, TensorLayout.BLHD, true, true, true, 2f, 11);
        LogSumExpProperties.check(p, new SparseAttentionKernel.Schedule(32, 48, 2), c);
    }

    @Test
    void mergingTheOutputWithExtraKeysGivesTheSoftmaxOverAllOfThem() {
        // The kernel attends i−1..i+1 (head 0; i−2..i in head 1); the caller adds key (i+5) mod n
        // and key i once more (a
        // repeated key, as BigBird's eval-mode random table repeats attended blocks) and merges:
        // out' = (e^lse·out + Σ e^{s_j} v_j) / (e^lse + Σ e^{s_j}), shifted by the maximum.
        TestPattern p = new TestPattern(16, 0.25, 1, 1, 1, false, 1, 0);
        TestCall c = new TestCall(1, 2, 23, 16, TensorLayout.BHLD, false, false, false, 2f, 5);
        AttentionInputs in = c.inputs();
        AttentionShape s = in.shape();
        int n = s.length();
        int d = s.headDim();
        float[] out = new float[s.elements()];
        float[] lse = new float[s.heads() * n];
        p.kernel(SMALL).compute(in, out, lse);
        for (int h = 0; h < s.heads(); h++) {
            for (int i = 0; i < n; i++) {
                int[] extra = {(i + 5) % n, i};
                double[] se = new double[extra.length];
                double max = lse[h * n + i];
                for (int e = 0; e < extra.length; e++) {
                    se[e] = score(in, p.scale(), h, i, extra[e]);
                    max = Math.max(max, se[e]);
                }
                double sum = Math.exp(lse[h * n + i] - max);
                double[] merged = new double[d];
                for (int x = 0; x < d; x++) {
                    merged[x] = sum * out[(h * n + i) * d + x];
                }
                for (int e = 0; e < extra.length; e++) {
                    double w = Math.exp(se[e] - max);
                    sum += w;
                    for (int x = 0; x < d; x++) {
                        merged[x] += w * in.v()[(h * n + extra[e]) * d + x];
                    }
                }
                // The reference: softmax over the multiset of keys, in double.
                List<Integer> keys = new ArrayList<>();
                for (int j = Math.max(0, i - p.before(h)); j <= Math.min(n - 1, i + p.after(h)); j++) {
                    keys.add(j);
                }
                keys.add((i + 5) % n);
                keys.add(i);
                double m = Double.NEGATIVE_INFINITY;
                for (int j : keys) {
                    m = Math.max(m, score(in, p.scale(), h, i, j));
                }
                double z = 0;
                double[] want = new double[d];
                for (int j : keys) {
                    double w = Math.exp(score(in, p.scale(), h, i, j) - m);
                    z += w;
                    for (int x = 0; x < d; x++) {
                        want[x] += w * in.v()[(h * n + j) * d + x];
                    }
                }
                for (int x = 0; x < d; x++) {
                    double wx = want[x] / z;
                    assertEquals(wx, merged[x] / sum, 1e-4 + 1e-4 * Math.abs(wx), "head " + h + " row " + i);
                }
            }
        }
    }

    /** {@code scale · q[i]·k[j]} of head {@code h}, batch item 0, layout BHLD, in double. */
    private static double score(AttentionInputs in, double scale, int h, int i, int j) {
        int n = in.shape().length();
        int d = in.shape().headDim();
        double dot = 0;
        for (int x = 0; x < d; x++) {
            dot += (double) in.q()[(h * n + i) * d + x] * in.k()[(h * n + j) * d + x];
        }
        return scale * dot;
    }

    @Test
    void aWrongLseArrayIsNamedWithTheExpectedShape() {
        TestCall c = new TestCall(2, 3, 17, 8, TensorLayout.BLHD, false, false, false, 1f, 1);
        AttentionInputs in = c.inputs();
        SparseAttentionKernel kernel = PAST_ONLY.kernel(SMALL);
        float[] out = new float[in.shape().elements()];
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> kernel.compute(in, out, new float[17]));
        assertEquals("lse: expected float [B, H, L] = [2, 3, 17] (102 floats), got 17 floats", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> kernel.compute(in, out, null));
        assertEquals("lse is missing: expected float [B, H, L] = [2, 3, 17]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> kernel.compute(in, new float[3], new float[102]));
        assertTrue(e.getMessage().startsWith("out: expected float [2, 17, 24]"), e.getMessage());
    }

    @Test
    void theEngineReturnsItAndOtherKernelsSayTheyDoNot() {
        assertTrue(PAST_ONLY.kernel(SMALL).returnsLogSumExp());
        AttentionKernel other = new WithoutLogSumExp();
        assertFalse(other.returnsLogSumExp());
        TestCall c = new TestCall(1, 1, 4, 8, TensorLayout.BHLD, false, false, false, 1f, 1);
        UnsupportedOperationException e = assertThrows(
                UnsupportedOperationException.class, () -> other.compute(c.inputs(), new float[32], new float[4]));
        assertEquals("other (WithoutLogSumExp) does not return the log-sum-exp", e.getMessage());
    }

    /** A kernel that keeps the interface's defaults, as the CUDA kernels do. */
    private static final class WithoutLogSumExp implements AttentionKernel {
        @Override
        public String name() {
            return "other";
        }

        @Override
        public int headDim() {
            return 8;
        }

        @Override
        public void compute(AttentionInputs in, float[] out) {
            Arrays.fill(out, 0f);
        }
    }
}
