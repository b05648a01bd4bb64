package dev.attnc.compiler.kernels;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.cuda.CudaEmulator;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.kernels.KernelHarness.Case;
import dev.attnc.runtime.TensorLayout;
import dev.attnc.runtime.cuda.CudaDtype;
import dev.attnc.runtime.kernel.PatternBinding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grouped-query attention through the CUDA back end on the CPU emulator: the generated
 * {@code .cu}, unchanged, under {@code attnc_emu.h}, with k, v (kg, vg) of G heads (binding
 * word 13), against the dense reference. fp32 on (H, G) ∈ {(2, 1), (4, 2), (6, 3), (3, 3), (8, 2)}
 * over lengths, both layouts, padding, runtime globals and separate global projections (the
 * split-K global blocks read kg, vg of the kv head); fp16 (tensor-core path) on two cases.
 * Tolerances as {@link CudaEmulatedKernelsTest}: fp32 1e-4 + 1e-4·|want|, fp16 1e-2 + 1e-2·|want|.
 * Skipped, with the reason, where g++ or the CUDA headers are missing.
 */
class CudaEmulatedGroupedQueryTest {

    static final String SPEC = """
            pattern e_global { head_dim 16  window 6 before | global tokens [0] and from input }
            pattern e_fixed { head_dim 8  heads 4  kv_heads 2  window 3 blocks | global last 1 block  block 4 }
            """;

    @TempDir
    static Path work;

    static Pipeline.Result result;
    static CudaEmulator emulator;

    @BeforeAll
    static void build() throws Exception {
        result = KernelHarness.compile(SPEC);
        emulator = KernelHarness.emulator(result.patterns(), work.resolve("gqa"));
    }

    @TestFactory
    Stream<DynamicTest> groupedKernelsMatchTheReference() {
        List<DynamicTest> tests = new ArrayList<>();
        int[][] pairs = {{2, 1}, {4, 2}, {6, 3}, {3, 3}, {8, 2}};
        int[] lengths = {1, 19, 70, 33, 600};
        for (PatternIR p : result.patterns()) {
            tests.add(DynamicTest.dynamicTest(p.name(), () -> {
                PatternBinding binding = KernelHarness.binding(p);
                for (int k = 0; k < pairs.length; k++) {
                    int heads = p.heads().orElse(pairs[k][0]);
                    int kv = p.kvHeads().orElse(pairs[k][1]);
                    int n = lengths[k];
                    check(p, binding, CudaDtype.F32, caseOf(heads, n, k), kv, 1e-4);
                }
                int heads = p.heads().orElse(4);
                int kv = p.kvHeads().orElse(2);
                check(p, binding, CudaDtype.F16, caseOf(heads, 37, 5), kv, 1e-2);
                check(p, binding, CudaDtype.F16, caseOf(heads, 66, 6), kv, 1e-2);
            }));
        }
        return tests.stream();
    }

    /** Case {@code k}: batch, layout, padding, globals and projections cycle with k. */
    private static Case caseOf(int heads, int n, int k) {
        return new Case(
                n > 100 ? 1 : 1 + k % 2,
                heads,
                n,
                k % 2 == 0 ? TensorLayout.BHLD : TensorLayout.BLHD,
                k % 3 == 1,
                k % 3 != 2,
                k % 2 == 1,
                0,
                1000L + k);
    }

    private static void check(PatternIR p, PatternBinding binding, CudaDtype dtype, Case c, int kv, double tol) {
        KernelHarness.compare(
                result.unit().orElseThrow(),
                p,
                in -> emulator.softmax(p.name(), dtype, binding, in),
                c,
                2f,
                kv,
                tol,
                tol,
                " (cuda-emu " + dtype.suffix() + ")");
    }
}
