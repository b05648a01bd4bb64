package dev.attnc.compiler.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.kernels.KernelHarness.Case;
import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionKernel;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.TensorLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Grouped-query attention ({@code kv_heads G}) on the Java backend: k and v hold G heads and
 * query head h reads kv head h / (H / G). Each generated kernel against the dense reference
 * (tolerance of {@link KernelHarness}: 1e-4 + 1e-4·|want|) over head and kv-head counts
 * (G ∈ {1, 2, H} with H from 1 to 8), odd lengths, batch up to 3, both layouts, padding,
 * runtime globals and separate global projections (whose kg, vg hold G heads too); and the
 * GQA call against the same kernel on k, v expanded to H heads (HF {@code repeat_kv}), which
 * must give the same floats.
 */
class GroupedQueryKernelsTest {

    static final String SPEC = """
            pattern g_local { head_dim 8  causal & window 5 before }
            pattern g_global { head_dim 16  window 3 | global tokens [0, -1] and from input }
            pattern g_dilated { head_dim 4  window 4 dilation 2 | global from input }
            pattern g_blocks { head_dim 8  block 4  window 3 blocks | global first 1 block | random 1 block per row, seed 3 }
            pattern g_fixed { head_dim 8  heads 6  kv_heads 2  causal | global tokens [1] }
            pattern g_mqa { head_dim 8  heads 4  kv_heads 1  full }
            """;

    static final Pipeline.Result RESULT = KernelHarness.compile(SPEC);

    static PatternIR pattern(String name) {
        return RESULT.patterns().stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    /** (H, G) pairs: G = 1, 2 and H over H = 1..8, where G divides H, each once. */
    static List<int[]> headPairs() {
        List<int[]> pairs = new ArrayList<>();
        for (int h = 1; h <= 8; h++) {
            for (int g : new int[] {1, 2, h}) {
                int hh = h;
                if (h % g == 0 && pairs.stream().noneMatch(x -> x[0] == hh && x[1] == g)) {
                    pairs.add(new int[] {h, g});
                }
            }
        }
        return pairs;
    }

    @TestFactory
    Stream<DynamicTest> kernelsMatchTheReferenceWithKvHeads() {
        List<DynamicTest> tests = new ArrayList<>();
        int[] lengths = {1, 3, 17, 37, 70};
        for (PatternIR p : RESULT.patterns()) {
            tests.add(DynamicTest.dynamicTest(p.name(), () -> {
                AttentionKernel kernel = KernelHarness.load(p);
                int k = 0;
                for (int[] hg : headPairs()) {
                    int heads = p.heads().orElse(hg[0]);
                    int kv = p.kvHeads().orElse(heads % hg[1] == 0 ? hg[1] : heads);
                    if (p.heads().isPresent() && k > 4) {
                        break; // a fixed head count: a few cases are enough
                    }
                    int n = lengths[k % lengths.length];
                    Case c = new Case(
                            1 + k % 3,
                            heads,
                            n,
                            k % 2 == 0 ? TensorLayout.BHLD : TensorLayout.BLHD,
                            k % 3 == 1,
                            k % 4 != 3,
                            k % 4 == 2,
                            0,
                            31L * k + p.name().hashCode());
                    KernelHarness.compare(
                            RESULT.unit().orElseThrow(),
                            p,
                            kernel::compute,
                            c,
                            2f,
                            kv,
                            KernelHarness.ABS,
                            KernelHarness.REL,
                            "");
                    k++;
                }
            }));
        }
        return tests.stream();
    }

    @Test
    void groupedCallEqualsTheCallOnRepeatedKeysAndValues() {
        for (String name : List.of("g_global", "g_blocks")) {
            PatternIR p = pattern(name);
            AttentionKernel kernel = KernelHarness.load(p);
            for (TensorLayout layout : TensorLayout.values()) {
                Case c = new Case(2, 6, 29, layout, true, true, true, 0, 7);
                AttentionInputs gqa = KernelHarness.inputs(p, c, 2f, 3);
                AttentionInputs mha = repeatKv(gqa);
                float[] a = new float[gqa.shape().elements()];
                float[] b = new float[a.length];
                kernel.compute(gqa, a);
                kernel.compute(mha, b);
                assertArrayEquals(b, a, 0f, name + " " + layout);
            }
        }
    }

    @Test
    void aSpecsKvHeadsMustMatchTheInputs() {
        PatternIR p = pattern("g_fixed");
        AttentionKernel kernel = KernelHarness.load(p);
        Case c = new Case(1, 6, 5, TensorLayout.BHLD, false, false, false, 0, 1);
        AttentionInputs wrong = KernelHarness.inputs(p, c, 1f, 3);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> kernel.compute(wrong, new float[wrong.shape().elements()]));
        assertEquals(
                "k, v: pattern 'g_fixed' has kv_heads 2, expected [1, 2, 5, 8] in layout BHLD, got [1, 3, 5, 8] (3 kv"
                        + " heads)",
                e.getMessage());
        AttentionInputs mha = KernelHarness.inputs(p, c, 1f, 6);
        e = assertThrows(
                IllegalArgumentException.class,
                () -> kernel.compute(mha, new float[mha.shape().elements()]));
        assertTrue(e.getMessage().startsWith("k, v: pattern 'g_fixed' has kv_heads 2"), e.getMessage());
    }

    /** {@code in} with k, v, kg, vg expanded to one head per query head (HF {@code repeat_kv}). */
    static AttentionInputs repeatKv(AttentionInputs in) {
        AttentionShape s = in.shape();
        AttentionShape full = new AttentionShape(s.batch(), s.heads(), s.length(), s.headDim());
        AttentionInputs.Builder b = AttentionInputs.builder(full, in.layout())
                .qkv(in.q(), repeat(in, in.k()), repeat(in, in.v()))
                .layer(in.layer());
        if (in.hasGlobalProjections()) {
            b.globalProjections(in.qg(), repeat(in, in.kg()), repeat(in, in.vg()));
        }
        boolean[] valid = new boolean[s.batch() * s.length()];
        boolean any = false;
        for (int x = 0; x < valid.length; x++) {
            valid[x] = in.isValid(x / s.length(), x % s.length());
            any |= !valid[x];
        }
        if (any) {
            b.keyValid(valid);
        }
        if (in.hasGlobalMask()) {
            b.globalMask(in.globalMask());
        }
        return b.build();
    }

    private static float[] repeat(AttentionInputs in, float[] kv) {
        AttentionShape s = in.shape();
        AttentionShape small = s.kvShape();
        TensorLayout lay = in.layout();
        float[] out = new float[s.elements()];
        int group = s.heads() / s.kvHeads();
        for (int b = 0; b < s.batch(); b++) {
            for (int h = 0; h < s.heads(); h++) {
                for (int i = 0; i < s.length(); i++) {
                    for (int x = 0; x < s.headDim(); x++) {
                        out[(int) lay.index(s, b, h, i, x)] = kv[(int) lay.index(small, b, h / group, i, x)];
                    }
                }
            }
        }
        return out;
    }

    @Test
    void headPairsCoverTheCases() {
        List<int[]> pairs = headPairs();
        assertTrue(pairs.stream().anyMatch(x -> x[0] == 8 && x[1] == 2));
        assertTrue(pairs.stream().anyMatch(x -> x[0] == 7 && x[1] == 1));
        assertTrue(pairs.stream().anyMatch(x -> x[0] == 6 && x[1] == 6));
    }
}
