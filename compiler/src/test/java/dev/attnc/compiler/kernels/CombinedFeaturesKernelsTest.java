package dev.attnc.compiler.kernels;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.cuda.CudaEmulator;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.kernels.KernelHarness.Case;
import dev.attnc.runtime.AttentionKernel;
import dev.attnc.runtime.TensorLayout;
import dev.attnc.runtime.cuda.CudaDtype;
import dev.attnc.runtime.kernel.PatternBinding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four constructs of issue 15 §4 in one pattern: grouped-query heads ({@code kv_heads}),
 * score modifiers ({@code alibi}, {@code softcap}, a per-head {@code scale}), key and query
 * sets (static and the run-time {@code prefix_len}) and document masking ({@code segments from
 * input}), each feature's own test having checked it alone. The Java kernels and the CUDA
 * kernels on the CPU emulator against the dense reference, on lengths 1 to 131 (not multiples
 * of a tile), batches of 1 to 3 items with their own packings and prefixes (0, n and between),
 * both layouts, padding and run-time globals. Tolerances: fp32 {@code 1e-4 + 1e-4·|want|},
 * fp16 {@code 1e-2 + 1e-2·|want|}.
 */
class CombinedFeaturesKernelsTest {

    static final String SPEC = """
            pattern all_four {
              head_dim 16
              heads 4
              kv_heads 2
              alibi
              softcap 20.0
              scale [0.3, 0.25, 0.2, 0.35] per head
              causal & (window 9 before | keys from input) & segments from input
            }
            pattern prefix_docs_mqa {
              head_dim 16
              kv_heads 1
              (causal | keys from input & queries from input) & segments from input
            }
            pattern longformer_docs_capped {
              head_dim 16
              softcap 5.0
              (window 4 each side | global tokens [0] and from input | keys [-2..-1]) & segments from input
            }
            """;

    static final Pipeline.Result RESULT = KernelHarness.compile(SPEC);

    static final int[] LENGTHS = {1, 2, 5, 17, 64, 65, 131};

    @TempDir
    static Path work;

    /** Query heads and kv heads of case {@code k}: the spec's when fixed, else 3 query heads over 1 kv head. */
    private static int[] heads(PatternIR p) {
        int h = p.heads().orElse(3);
        return new int[] {h, p.kvHeads().orElse(h)};
    }

    private static Case caseFor(PatternIR p, int n, int k) {
        return new Case(
                1 + k % 3,
                heads(p)[0],
                n,
                k % 2 == 0 ? TensorLayout.BHLD : TensorLayout.BLHD,
                k % 3 != 0,
                k % 4 != 1,
                false,
                0,
                97L * k + p.name().hashCode());
    }

    @TestFactory
    Stream<DynamicTest> javaKernelsMatchTheReference() {
        List<DynamicTest> tests = new ArrayList<>();
        for (PatternIR p : RESULT.patterns()) {
            tests.add(DynamicTest.dynamicTest(p.name(), () -> {
                AttentionKernel kernel = KernelHarness.load(p);
                int k = 0;
                for (int n : LENGTHS) {
                    for (int v = 0; v < 2; v++, k++) {
                        KernelHarness.compare(
                                RESULT.unit().orElseThrow(),
                                p,
                                kernel::compute,
                                caseFor(p, n, k),
                                2f,
                                heads(p)[1],
                                KernelHarness.ABS,
                                KernelHarness.REL,
                                " (java)");
                    }
                }
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> emulatedCudaKernelsMatchTheReference() throws Exception {
        CudaEmulator emulator = KernelHarness.emulator(RESULT.patterns(), work.resolve("combined"));
        List<DynamicTest> tests = new ArrayList<>();
        for (PatternIR p : RESULT.patterns()) {
            tests.add(DynamicTest.dynamicTest(p.name(), () -> {
                PatternBinding binding = KernelHarness.binding(p);
                int k = 0;
                for (int n : new int[] {1, 17, 65, 131}) {
                    check(emulator, p, binding, CudaDtype.F32, caseFor(p, n, k++), 1e-4);
                }
                for (int n : new int[] {17, 65}) {
                    check(emulator, p, binding, CudaDtype.F16, caseFor(p, n, k++), 1e-2);
                }
            }));
        }
        return tests.stream();
    }

    private static void check(
            CudaEmulator emulator, PatternIR p, PatternBinding binding, CudaDtype dtype, Case c, double tol) {
        KernelHarness.compare(
                RESULT.unit().orElseThrow(),
                p,
                in -> emulator.softmax(p.name(), dtype, binding, in),
                c,
                2f,
                heads(p)[1],
                tol,
                tol,
                " (cuda-emu " + dtype.suffix() + ")");
    }
}
