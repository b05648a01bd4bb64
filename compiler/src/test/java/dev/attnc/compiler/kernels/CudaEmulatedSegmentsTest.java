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
 * {@code segments from input} through the CUDA backend on the CPU emulator (as
 * {@link CudaEmulatedKernelsTest}): the segments list in the binding, {@code attnc::segments}'s
 * cover and the generated pair test, against the dense reference. fp32 at lengths
 * {1, 2, 17, 65, 130} and fp16 at {17, 65}, packings as {@link SegmentKernelsTest} (one
 * segment, one token per segment, ids recurring in runs that are not adjacent, …), batches of
 * 1 to 3 items, with padding and run-time globals. Tolerances: fp32 1e-4 + 1e-4·|want|,
 * fp16 1e-2 + 1e-2·|want|. Skipped, with the reason, where g++ or the CUDA headers are missing.
 */
class CudaEmulatedSegmentsTest {

    static final String SPEC = """
            pattern seg_causal { head_dim 16  causal & segments from input }
            pattern seg_longformer { head_dim 16  (window 5 each side | global tokens [0] and from input) & segments from input }
            pattern seg_minus { head_dim 16  block 4  window 3 blocks - segments from input }
            """;

    static final int[] LENGTHS = {1, 2, 17, 65, 130};
    static final int[] HALF_LENGTHS = {17, 65};

    @TempDir
    static Path work;

    static Pipeline.Result result;
    static CudaEmulator emulator;

    @BeforeAll
    static void build() throws Exception {
        result = KernelHarness.compile(SPEC);
        emulator = KernelHarness.emulator(result.patterns(), work.resolve("segments"));
    }

    @TestFactory
    Stream<DynamicTest> segmentKernelsMatchTheReference() {
        List<DynamicTest> tests = new ArrayList<>();
        for (PatternIR p : result.patterns()) {
            tests.add(DynamicTest.dynamicTest(p.name(), () -> {
                PatternBinding binding = KernelHarness.binding(p);
                long seed = p.name().hashCode();
                int k = 0;
                for (int n : LENGTHS) {
                    for (int v = 0; v < 2; v++) {
                        check(p, binding, CudaDtype.F32, caseFor(n, seed + 7L * n + v, k++), 1e-4);
                    }
                }
                for (int n : HALF_LENGTHS) {
                    check(p, binding, CudaDtype.F16, caseFor(n, seed + 11L * n, k++), 1e-2);
                }
            }));
        }
        return tests.stream();
    }

    private static Case caseFor(int n, long seed, int k) {
        int batch = 1 + k % 3;
        TensorLayout layout = k % 2 == 0 ? TensorLayout.BHLD : TensorLayout.BLHD;
        return new Case(batch, 2, n, layout, k % 3 != 0, k % 4 != 1, false, 0, seed);
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
