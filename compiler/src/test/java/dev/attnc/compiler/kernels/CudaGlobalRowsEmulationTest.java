package dev.attnc.compiler.kernels;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.cuda.CudaEmulator;
import dev.attnc.compiler.cuda.EmuToolchain;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.loops.KernelPlan;
import dev.attnc.compiler.source.SourceFile;
import dev.attnc.runtime.TensorLayout;
import dev.attnc.runtime.cuda.CudaDtype;
import dev.attnc.runtime.cuda.CudaShape;
import dev.attnc.runtime.kernel.PatternBinding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The global rows of the emulated CUDA engine, where the other emulation tests are too short
 * to reach: the engine computes the rows of global sets in blocks of their own, {@link
 * CudaShape#KEY_SPLIT} keys each, whose partial (max, sum, O) the last split to finish merges
 * (attnc_softmax.cuh). Lengths 513 (two splits, the second one key long) and 1100 (three splits); 70 static global rows plus runtime ones (two and more row groups of
 * global rows, the last one short); with and without padding and separate global
 * projections; a causal pattern whose global rows have no key in the later splits (partials
 * of -inf to skip in the merge). fp32, fp16 and bf16 against the dense reference with the
 * tolerances of {@link CudaEmulatedKernelsTest}. Skipped, with the reason, without g++ or the
 * CUDA headers.
 */
class CudaGlobalRowsEmulationTest {

    static final Map<String, String> SPECS = Map.of("many_globals", """
            pattern many_globals {
              head_dim 32
              heads 2
              window 5 each side
              global first 70 tokens and from input
            }
            """, "causal_globals", """
            pattern causal_globals {
              head_dim 16
              heads 1
              causal & (window 3 before | global tokens [0, 1, 600] and from input)
            }
            """, "block_globals", """
            pattern block_globals {
              head_dim 64
              heads 2
              block 64
              window 3 blocks
              global first 1 block, last 1 block
            }
            """);

    @TempDir
    static Path work;

    static final Map<String, Pipeline.Result> RESULTS = new LinkedHashMap<>();
    static CudaEmulator emulator;

    @BeforeAll
    static void build() throws Exception {
        assumeTrue(
                EmuToolchain.unavailableReason().isEmpty(),
                () -> EmuToolchain.unavailableReason().orElse(""));
        List<KernelPlan> plans = new ArrayList<>();
        for (Map.Entry<String, String> e : SPECS.entrySet()) {
            Pipeline.Result r = Pipeline.compileSource(SourceFile.ofString(e.getKey() + ".attn", e.getValue()));
            PatternIR p = r.pattern(e.getKey()).orElseThrow();
            RESULTS.put(p.name(), r);
            plans.add(Pipeline.cuda(p, null).plan());
        }
        emulator = CudaEmulator.build(
                Files.createDirectories(work.resolve("globals")), plans, EmuToolchain.Sanitizer.NONE);
    }

    @TestFactory
    Stream<DynamicTest> globalRowsSplitAcrossBlocksMatchTheReference() {
        List<DynamicTest> tests = new ArrayList<>();
        int k = 0;
        for (String name : SPECS.keySet()) {
            PatternIR p = RESULTS.get(name).pattern(name).orElseThrow();
            PatternBinding binding = KernelHarness.binding(p);
            for (int n : new int[] {513, 1100}) {
                for (CudaDtype d : CudaDtype.values()) {
                    int x = k++;
                    KernelHarness.Case c = new KernelHarness.Case(
                            n == 513 ? 2 : 1,
                            p.heads().orElse(1),
                            n,
                            x % 2 == 0 ? TensorLayout.BHLD : TensorLayout.BLHD,
                            x % 3 != 0,
                            true,
                            x % 4 == 1,
                            0,
                            31L * n + x);
                    double tol = d == CudaDtype.F32 ? 1e-4 : d == CudaDtype.F16 ? 1e-2 : 6e-2;
                    tests.add(DynamicTest.dynamicTest(
                            name + " " + d + " " + c,
                            () -> KernelHarness.compare(
                                    RESULTS.get(name).unit().orElseThrow(),
                                    p,
                                    in -> emulator.softmax(p.name(), d, binding, in),
                                    c,
                                    2f,
                                    tol,
                                    tol,
                                    " (cuda-emu " + d.suffix() + ")")));
                }
            }
        }
        return tests.stream();
    }
}
