package dev.attnc.compiler.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.cuda.CudaEmulator;
import dev.attnc.compiler.cuda.EmuToolchain;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.kernels.KernelHarness.Case;
import dev.attnc.compiler.loops.KernelPlan;
import dev.attnc.runtime.TensorLayout;
import dev.attnc.runtime.cuda.CudaDtype;
import dev.attnc.runtime.cuda.CudaEntries;
import dev.attnc.runtime.cuda.CudaShape;
import dev.attnc.runtime.kernel.PatternBinding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every softmax pattern of {@code specs/} through the CUDA backend, run on the CPU: the
 * generated {@code .cu} files, unchanged, compiled by g++ under {@code attnc_emu.h} (real
 * threads per block, {@code __syncthreads} as a barrier, wmma on the host), against the dense
 * reference. Lengths {1, 17, 64, 65, 257} in fp32; fp16 and bf16 (tensor-core path) at 17 and
 * 65; padding, runtime globals, separate global projections and both layouts vary with the
 * length. Tolerances ({@code |got − want| ≤ abs + rel·|want|}): fp32 1e-4 + 1e-4 (as the Java
 * kernels); fp16 inputs, Q and P rounded to 11 significant bits: 1e-2 + 1e-2; bf16 (8 bits):
 * 6e-2 + 6e-2. Skipped, with the reason, where g++ or the CUDA headers are missing.
 */
class CudaEmulatedKernelsTest {

    static final int[] LENGTHS = {1, 17, 64, 65, 257};
    static final Set<String> ONLY = Set.of(System.getProperty("attnc.only", "").split(","));
    static final int[] HALF_LENGTHS = {17, 65};

    @TempDir
    static Path work;

    static final Map<String, Pipeline.Result> RESULTS = new LinkedHashMap<>();
    static final List<PatternIR> PATTERNS = new ArrayList<>();
    static CudaEmulator emulator;

    @BeforeAll
    static void build() throws Exception {
        assumeTrue(
                EmuToolchain.unavailableReason().isEmpty(),
                () -> EmuToolchain.unavailableReason().orElse(""));
        List<KernelPlan> plans = new ArrayList<>();
        for (String file :
                List.of("bigbird.attn", "causal_local.attn", "dense.attn", "longformer.attn", "longformer_char.attn")) {
            Pipeline.Result r = Pipeline.compileFile(SpecKernelsTest.specs().resolve(file), "specs/" + file);
            for (PatternIR p : r.patterns()) {
                if (!p.isAdditive() && (ONLY.contains("") || ONLY.contains(p.name()))) {
                    RESULTS.put(p.name(), r);
                    PATTERNS.add(p);
                    plans.add(Pipeline.cuda(p, null).plan());
                }
            }
        }
        // -Dattnc.emu.work=DIR keeps the build and the inputs of failed runs (for a debugger)
        String keep = System.getProperty("attnc.emu.work", "");
        Path dir = keep.isEmpty() ? work.resolve("specs") : Path.of(keep);
        emulator = CudaEmulator.build(Files.createDirectories(dir), plans, EmuToolchain.Sanitizer.NONE);
    }

    @Test
    void theJavaLaunchShapeAgreesWithTheEngine() {
        List<String> wrong = new ArrayList<>();
        for (PatternIR p : PATTERNS) {
            for (CudaDtype d : CudaDtype.values()) {
                CudaEmulator.EntryInfo e = emulator.entries().get(CudaEntries.softmax(p.name(), d));
                int dim = p.headDim();
                boolean tensor = d.tensorCores();
                String java = CudaShape.threads(dim, tensor) + " threads, queryTile " + CudaShape.queryTile(dim, tensor)
                        + ", " + CudaShape.sharedBytes(dim, tensor) + " shared bytes";
                String engine =
                        e.threads() + " threads, queryTile " + e.queryTile() + ", " + e.sharedBytes() + " shared bytes";
                if (!java.equals(engine)) {
                    wrong.add(e.name() + ": CudaShape " + java + ", engine " + engine);
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @TestFactory
    Stream<DynamicTest> everySpecKernelMatchesTheReference() {
        List<DynamicTest> tests = new ArrayList<>();
        for (PatternIR p : PATTERNS) {
            tests.add(DynamicTest.dynamicTest(p.name(), () -> {
                PatternBinding binding = KernelHarness.binding(p);
                long seed = p.name().hashCode();
                int k = Math.floorMod(seed, 60);
                for (int n : LENGTHS) {
                    check(p, binding, CudaDtype.F32, caseFor(p, n, seed, k++), 1e-4);
                }
                for (int n : HALF_LENGTHS) {
                    check(p, binding, CudaDtype.F16, caseFor(p, n, seed + 1, k++), 1e-2);
                    check(p, binding, CudaDtype.BF16, caseFor(p, n, seed + 2, k++), 6e-2);
                }
            }));
        }
        return tests.stream();
    }

    /** Case {@code k} of a pattern: the flags cycle through their combinations with k. */
    static Case caseFor(PatternIR p, int n, long seed, int k) {
        int heads = p.heads().orElse(2);
        int batch = n < 64 ? 2 : 1;
        int layers = p.layers().orElse(1);
        int layer = (int) Math.floorMod(seed + n, layers);
        boolean pad = k % 2 == 1;
        boolean globals = k % 3 != 2;
        boolean proj = k % 4 == 2;
        TensorLayout layout = k % 5 < 3 ? TensorLayout.BHLD : TensorLayout.BLHD;
        return new Case(batch, heads, n, layout, pad, globals, proj, layer, seed + n);
    }

    private static void check(PatternIR p, PatternBinding binding, CudaDtype dtype, Case c, double tol) {
        KernelHarness.compare(
                RESULTS.get(p.name()).unit().orElseThrow(),
                p,
                in -> emulator.softmax(p.name(), dtype, binding, in),
                c,
                2f,
                tol,
                tol,
                " (cuda-emu " + dtype.suffix() + ")");
    }

    static CudaDtype[] dtypes() {
        return CudaDtype.values();
    }
}
