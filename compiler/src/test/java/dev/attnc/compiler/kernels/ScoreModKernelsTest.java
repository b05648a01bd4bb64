package dev.attnc.compiler.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.interp.ReferenceAttention;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.kernels.KernelHarness.Case;
import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionKernel;
import dev.attnc.runtime.TensorLayout;
import dev.attnc.runtime.kernel.SparseAttentionKernel;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Score modifiers on the Java backend ({@link ScoreModSpecs}: ALiBi with Bloom's and explicit
 * slopes, with causal, dilated and block windows and globals, a soft cap, per-head scales and
 * all three together) against the dense reference, which applies them in double precision
 * ({@code ReferenceAttention}). Lengths {1, 2, 3, 17, 64, 65, 130, 301}, batch 2, both
 * layouts, with and without padding, runtime globals and separate global projections;
 * patterns without a fixed head count run with 6 heads (Bloom's slopes of a non-power of 2).
 * Tolerance {@link KernelHarness}'s fp32 one: 1e-4 + 1e-4·|want|.
 */
class ScoreModKernelsTest {

    static final int[] LENGTHS = {1, 2, 3, 17, 64, 65, 130, 301};

    @TestFactory
    Stream<DynamicTest> kernelsWithScoreModifiersMatchTheReference() {
        Pipeline.Result r = KernelHarness.compile(ScoreModSpecs.SOURCE);
        List<DynamicTest> tests = new ArrayList<>();
        for (ScoreModSpecs.Spec s : ScoreModSpecs.SPECS) {
            PatternIR p = r.patterns().stream()
                    .filter(x -> x.name().equals(s.name()))
                    .findFirst()
                    .orElseThrow();
            tests.add(DynamicTest.dynamicTest(s.name(), () -> {
                AttentionKernel k = KernelHarness.load(p);
                int c = 0;
                for (int n : LENGTHS) {
                    for (TensorLayout layout : TensorLayout.values()) {
                        boolean pad = c % 2 == 1;
                        boolean globals = c % 3 != 2;
                        boolean proj = c % 4 == 2;
                        Case cs = new Case(
                                2,
                                p.heads().orElse(6),
                                n,
                                layout,
                                pad,
                                globals,
                                proj,
                                0,
                                s.name().hashCode() + c);
                        KernelHarness.compare(r.unit().orElseThrow(), p, k, cs, s.valueScale());
                        c++;
                    }
                }
            }));
        }
        return tests.stream();
    }

    /**
     * The log-sum-exp the Java kernel returns is that of the modified scores: against the
     * reference's, within 1e-4 + 1e-5·|want|; rows without a key (padding) -∞ in both.
     */
    @Test
    void logSumExpIsOfTheModifiedScores() {
        Pipeline.Result r = KernelHarness.compile(ScoreModSpecs.SOURCE);
        for (String name : List.of("all_three", "alibi_window")) {
            PatternIR p = r.patterns().stream()
                    .filter(x -> x.name().equals(name))
                    .findFirst()
                    .orElseThrow();
            SparseAttentionKernel k = (SparseAttentionKernel) KernelHarness.load(p);
            Case c = new Case(2, p.heads().orElse(6), 77, TensorLayout.BLHD, true, true, false, 0, 5);
            AttentionInputs in = KernelHarness.inputs(p, c, 4f);
            float[] out = new float[in.shape().elements()];
            float[] lse = new float[c.batch() * c.heads() * c.n()];
            k.compute(in, out, lse);
            double[] want = ReferenceAttention.logSumExp(r.unit().orElseThrow(), name, in, p.effectiveScale());
            for (int x = 0; x < want.length; x++) {
                if (want[x] == Double.NEGATIVE_INFINITY) {
                    assertEquals(Float.NEGATIVE_INFINITY, lse[x], name + " lse[" + x + "]");
                } else {
                    assertEquals(want[x], lse[x], 1e-4 + 1e-5 * Math.abs(want[x]), name + " lse[" + x + "]");
                }
            }
        }
    }

    /** {@code specs/bloom.attn} (16 heads, Bloom's slopes, causal) at a few lengths, batch 2, padded. */
    @Test
    void bloomMatchesTheReference() {
        Pipeline.Result r = Pipeline.compileFile(SpecKernelsTest.specs().resolve("bloom.attn"), "specs/bloom.attn");
        PatternIR p = r.patterns().get(0);
        AttentionKernel k = KernelHarness.load(p);
        int c = 0;
        for (int n : new int[] {1, 33, 150}) {
            for (TensorLayout layout : TensorLayout.values()) {
                Case cs = new Case(2, 16, n, layout, c % 2 == 0, false, false, 0, 7 + c);
                KernelHarness.compare(r.unit().orElseThrow(), p, k, cs, 2f);
                c++;
            }
        }
    }

    @Test
    void patternsWithoutModifiersGenerateNoScoreStep() {
        Pipeline.Result r = KernelHarness.compile("pattern p { head_dim 16 window 4 }");
        String java = Pipeline.java(r.patterns().get(0), null, "gen").source();
        assertFalse(java.contains("scoreMods"), java);
    }
}
