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
 * Key-only and query-only sets through the CUDA backend on the CPU emulator (as
 * {@link CudaEmulatedKernelsTest}), against the dense reference: prefix-LM with a static and a
 * run-time prefix ({@code prefix_len} per batch item: 0, n or in between by seed), sinks, and a
 * queries set in a difference. fp32 at lengths {1, 17, 65, 130} (tolerance 1e-4 + 1e-4·|want|),
 * fp16 at {17, 65} (1e-2 + 1e-2·|want|); batch 2, both layouts, padding on some cases.
 * Skipped, with the reason, where g++ or the CUDA headers are missing.
 */
class CudaEmulatedKeySetsTest {

    static final String SPECS = """
            pattern prefix_lm { head_dim 16  causal | keys [0..6] & queries [0..6] }
            pattern prefix_input { head_dim 32  causal | keys from input & queries from input }
            pattern sinks { head_dim 16  causal & (window 9 before | keys [0..3]) }
            pattern queries_diff { head_dim 16  block 8  (window 5 | queries [-20..-1]) - keys blocks [1] }
            """;

    static final int[] LENGTHS = {1, 17, 65, 130};
    static final int[] HALF_LENGTHS = {17, 65};

    @TempDir
    static Path work;

    static Pipeline.Result result;
    static CudaEmulator emulator;

    @BeforeAll
    static void build() throws Exception {
        result = KernelHarness.compile(SPECS);
        emulator = KernelHarness.emulator(result.patterns(), work.resolve("keysets"));
    }

    @TestFactory
    Stream<DynamicTest> keySetKernelsMatchTheReference() {
        List<DynamicTest> tests = new ArrayList<>();
        for (PatternIR p : result.patterns()) {
            tests.add(DynamicTest.dynamicTest(p.name(), () -> {
                PatternBinding binding = KernelHarness.binding(p);
                long seed = p.name().hashCode();
                int k = 0;
                for (int n : LENGTHS) {
                    check(p, binding, CudaDtype.F32, caseFor(n, seed, k++), 1e-4);
                }
                for (int n : HALF_LENGTHS) {
                    check(p, binding, CudaDtype.F16, caseFor(n, seed + 1, k++), 1e-2);
                }
            }));
        }
        return tests.stream();
    }

    private static Case caseFor(int n, long seed, int k) {
        TensorLayout layout = k % 2 == 0 ? TensorLayout.BHLD : TensorLayout.BLHD;
        return new Case(2, 2, n, layout, k % 3 == 1, false, false, 0, seed + n);
    }

    private static void check(PatternIR p, PatternBinding binding, CudaDtype dtype, Case c, double tol) {
        KernelHarness.compare(
                result.unit().orElseThrow(),
                p,
                in -> emulator.softmax(p.name(), dtype, binding, in),
                c,
                2f,
                tol,
                tol,
                " (cuda-emu " + dtype.suffix() + ")");
    }
}
