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
 * Score modifiers through the CUDA backend on the CPU emulator (four of {@link ScoreModSpecs},
 * {@link #EMULATED}: Bloom's slopes computed on the device, explicit slopes, a soft cap, and all
 * three modifiers with per-head scales; g++ builds of the other two would add ~15 s and nothing
 * the four do not cover), against the dense reference: fp32 (CUDA-core
 * path) at lengths {1, 17, 65, 130} and fp16 (tensor-core path) at {17, 65}, batch 2, padding,
 * runtime globals (their rows run in the split-K global blocks), separate global projections
 * and both layouts varying with the case; patterns without a fixed head count run with 6 heads
 * (Bloom's slopes computed on the device). Tolerances ({@code |got − want| ≤ abs + rel·|want|}):
 * fp32 1e-4 + 1e-4; fp16 (inputs, Q and P rounded to 11 significant bits) 1e-2 + 1e-2.
 * Skipped, with the reason, where g++ or the CUDA headers are missing.
 */
class CudaEmulatedScoreModsTest {

    static final int[] LENGTHS = {1, 17, 65, 130};
    static final int[] HALF_LENGTHS = {17, 65};
    static final List<String> EMULATED = List.of("alibi_window", "alibi_list", "softcap_full", "all_three");

    @TempDir
    static Path work;

    static Pipeline.Result result;
    static final List<PatternIR> PATTERNS = new ArrayList<>();
    static CudaEmulator emulator;

    @BeforeAll
    static void build() throws Exception {
        result = KernelHarness.compile(ScoreModSpecs.SOURCE);
        for (PatternIR p : result.patterns()) {
            if (EMULATED.contains(p.name())) {
                PATTERNS.add(p);
            }
        }
        emulator = KernelHarness.emulator(PATTERNS, work.resolve("scoremods"));
    }

    @TestFactory
    Stream<DynamicTest> emulatedKernelsWithScoreModifiersMatchTheReference() {
        List<DynamicTest> tests = new ArrayList<>();
        for (ScoreModSpecs.Spec s : ScoreModSpecs.SPECS) {
            if (!EMULATED.contains(s.name())) {
                continue;
            }
            PatternIR p = PATTERNS.stream()
                    .filter(x -> x.name().equals(s.name()))
                    .findFirst()
                    .orElseThrow();
            tests.add(DynamicTest.dynamicTest(s.name(), () -> {
                PatternBinding binding = KernelHarness.binding(p);
                int k = 0;
                for (int n : LENGTHS) {
                    check(p, binding, CudaDtype.F32, caseFor(p, n, k++), s.valueScale(), 1e-4);
                }
                for (int n : HALF_LENGTHS) {
                    check(p, binding, CudaDtype.F16, caseFor(p, n, k++), s.valueScale(), 1e-2);
                }
            }));
        }
        return tests.stream();
    }

    private static Case caseFor(PatternIR p, int n, int k) {
        boolean pad = k % 2 == 1;
        boolean globals = k % 3 != 2;
        boolean proj = k % 4 == 2;
        TensorLayout layout = k % 2 == 0 ? TensorLayout.BHLD : TensorLayout.BLHD;
        return new Case(
                2,
                p.heads().orElse(6),
                n,
                layout,
                pad,
                globals,
                proj,
                0,
                p.name().hashCode() + k);
    }

    private static void check(PatternIR p, PatternBinding binding, CudaDtype dtype, Case c, float scale, double tol) {
        KernelHarness.compare(
                result.unit().orElseThrow(),
                p,
                in -> emulator.softmax(p.name(), dtype, binding, in),
                c,
                scale,
                tol,
                tol,
                " (cuda-emu " + dtype.suffix() + ")");
    }
}
