package dev.attnc.compiler.kernels;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.kernels.KernelHarness.Case;
import dev.attnc.runtime.AttentionKernel;
import dev.attnc.runtime.TensorLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Key-only and query-only sets ({@code keys S}, {@code queries S}) on the Java backend against
 * the dense reference (tolerance in {@link KernelHarness}): prefix-LM with a static and a
 * run-time prefix, attention sinks, and the sets combined with windows (dilated: strided row
 * groups), causal, differences, blocks and per-head and per-layer counts; lengths from 1 up (odd, not multiples of tiles), batch 2 with different prefixes
 * (0, n and in between by seed), both layouts, padding on odd lengths.
 */
class KeySetKernelsTest {

    static final String SPECS = """
            pattern prefix_lm { head_dim 16  causal | keys [0..6] & queries [0..6] }
            pattern prefix_input { head_dim 16  causal | keys from input & queries from input }
            pattern sinks { head_dim 16  causal & (window 9 before | keys [0..3]) }
            pattern keys_only { head_dim 8  keys [0, 5..7, -2..-1] }
            pattern queries_only { head_dim 8  queries [1..2, -3] }
            pattern keys_minus_window { head_dim 16  keys first 5 tokens, last 3 tokens - window 2 }
            pattern queries_and_causal { head_dim 16  window 3 | queries last 4 tokens & causal }
            pattern block_sets { head_dim 16  block 8  window 1 block | keys first 1 block | queries blocks [-1] }
            pattern per_head { head_dim 16  heads 3  causal | keys first [1, 4, 9] per head tokens }
            pattern input_window { head_dim 16  window 4 before | keys from input - queries [0] }
            pattern queries_input { head_dim 16  queries from input | causal & window 2 }
            pattern dilated { head_dim 16  window 3 dilation 2 | queries [1..4] - keys [-1] }
            pattern per_layer { head_dim 16  layers 2  causal | keys last [2, 5] per layer tokens }
            """;

    static final int[] LENGTHS = {1, 2, 3, 7, 17, 64, 65, 131, 300};

    @TestFactory
    Stream<DynamicTest> keySetKernelsMatchTheReference() {
        Pipeline.Result r = KernelHarness.compile(SPECS);
        List<DynamicTest> tests = new ArrayList<>();
        for (PatternIR p : r.patterns()) {
            tests.add(DynamicTest.dynamicTest(p.name(), () -> {
                AttentionKernel k = KernelHarness.load(p);
                long seed = p.name().hashCode();
                for (int n : LENGTHS) {
                    for (int rep = 0; rep < 2; rep++) {
                        int heads = p.heads().orElse(2);
                        TensorLayout layout = (n + rep) % 2 == 0 ? TensorLayout.BHLD : TensorLayout.BLHD;
                        boolean pad = n % 2 == 1 && rep == 1;
                        KernelHarness.compare(
                                r.unit().orElseThrow(),
                                p,
                                k,
                                new Case(
                                        2,
                                        heads,
                                        n,
                                        layout,
                                        pad,
                                        false,
                                        false,
                                        rep % p.layers().orElse(1),
                                        seed + 7L * n + rep),
                                2f);
                    }
                }
            }));
        }
        return tests.stream();
    }
}
