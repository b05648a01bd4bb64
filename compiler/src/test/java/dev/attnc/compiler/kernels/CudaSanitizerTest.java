package dev.attnc.compiler.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.cuda.CudaEmulator;
import dev.attnc.compiler.cuda.EmuToolchain;
import dev.attnc.compiler.cuda.EmuToolchain.Sanitizer;
import dev.attnc.compiler.emit.CudaHeaders;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.kernels.KernelHarness.Case;
import dev.attnc.compiler.loops.KernelPlan;
import dev.attnc.runtime.AdditiveInputs;
import dev.attnc.runtime.AdditiveReference;
import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.TensorLayout;
import dev.attnc.runtime.cuda.CudaDtype;
import dev.attnc.runtime.kernel.PatternBinding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated kernels under AddressSanitizer and ThreadSanitizer (CPU emulation, real threads per
 * block): four library patterns, Longformer with globals ({@code longformer_base}), BigBird with
 * seeded random blocks ({@code bigbird_itc}), a dilated window
 * ({@code longformer_char_small_phase1}, layer 6: heads 6, 7 dilated) and the official
 * Fastformer ({@code fastformer}: pooling, grid reduction, output GEMM), run clean and right on
 * small inputs (n 17 and 65, Fastformer 17 and 40; the specs fix the heads); then the harness's teeth: the engine with
 * the barrier after the K chunk's staging removed must make TSan report a data race, and the
 * gather reading {@code key_valid} one batch row too far must make ASan report an overflow.
 * Each executable is built once. Skipped, with the reason, without g++ or the CUDA headers.
 */
class CudaSanitizerTest {

    static final String ENGINE = "attnc_softmax.cuh";
    /** The barrier between staging K and reading it for the scores. */
    static final String K_BARRIER = "        __syncthreads();\n        // Scores of the warp's rows";

    /** fp16 inputs, Q and P rounded to 11 significant bits (CudaEmulatedKernelsTest). */
    static final double F16_TOLERANCE = 1e-2;

    static final String GATHER_READ = "keyValid[validBase + j]";

    @TempDir
    static Path work;

    static final Map<String, Pipeline.Result> RESULTS = new LinkedHashMap<>();
    static final Map<String, PatternIR> PATTERNS = new LinkedHashMap<>();
    static final List<KernelPlan> PLANS = new ArrayList<>();
    /** The official Fastformer: its five launches run under the sanitizers too. */
    static PatternIR ADDITIVE;

    @BeforeAll
    static void compileSpecs() {
        assumeTrue(
                EmuToolchain.unavailableReason().isEmpty(),
                () -> EmuToolchain.unavailableReason().orElse(""));
        for (String[] fp : new String[][] {
            {"longformer.attn", "longformer_base"},
            {"bigbird.attn", "bigbird_itc"},
            {"longformer_char.attn", "longformer_char_small_phase1"}
        }) {
            Pipeline.Result r = Pipeline.compileFile(SpecKernelsTest.specs().resolve(fp[0]), "specs/" + fp[0]);
            PatternIR p = r.patterns().stream()
                    .filter(x -> x.name().equals(fp[1]))
                    .findFirst()
                    .orElseThrow();
            RESULTS.put(p.name(), r);
            PATTERNS.put(p.name(), p);
            PLANS.add(Pipeline.cuda(p, null).plan());
        }
        Pipeline.Result r =
                Pipeline.compileFile(SpecKernelsTest.specs().resolve("fastformer.attn"), "specs/fastformer.attn");
        ADDITIVE = r.pattern("fastformer").orElseThrow();
        PLANS.add(Pipeline.cuda(ADDITIVE, null).plan());
    }

    /** The runs of one pattern: n 17 with everything optional given, n 65 plain. */
    static List<Case> cases(PatternIR p) {
        int heads = p.heads().orElse(2);
        int layer = p.name().startsWith("longformer_char") ? 6 : 0; // layer 6: dilation 2 on heads 6..7
        return List.of(
                new Case(2, heads, 17, TensorLayout.BLHD, true, true, true, layer, 17),
                new Case(1, heads, 65, TensorLayout.BHLD, false, true, false, layer, 65));
    }

    @Test
    void addressSanitizerFindsNothingAndTheOutputIsRight() throws Exception {
        cleanAndRight(Sanitizer.ADDRESS, "ERROR: AddressSanitizer");
    }

    @Test
    void threadSanitizerFindsNothingAndTheOutputIsRight() throws Exception {
        cleanAndRight(Sanitizer.THREAD, "WARNING: ThreadSanitizer");
    }

    private static void cleanAndRight(Sanitizer sanitizer, String report) throws Exception {
        CudaEmulator emu =
                CudaEmulator.build(Files.createDirectories(work.resolve(sanitizer.name())), PLANS, sanitizer);
        // fp32 (CUDA cores) and fp16 (the mma / ldmatrix / cp.async stand-ins), tolerances as in
        // CudaEmulatedKernelsTest
        for (CudaDtype dtype : List.of(CudaDtype.F32, CudaDtype.F16)) {
            for (PatternIR p : PATTERNS.values()) {
                PatternBinding binding = KernelHarness.binding(p);
                for (Case c : cases(p)) {
                    KernelHarness.compare(
                            RESULTS.get(p.name()).unit().orElseThrow(),
                            p,
                            in -> {
                                CudaEmulator.Run r = emu.run(p.name(), dtype, binding, in);
                                String what = p.name() + " " + c + " " + dtype + " under " + sanitizer;
                                assertEquals(
                                        0,
                                        r.process().exitCode(),
                                        () -> what + " exited with "
                                                + r.process().exitCode() + ":\n"
                                                + r.process().stderr());
                                assertFalse(
                                        r.process().stderr().contains(report),
                                        () -> what + ":\n" + r.process().stderr());
                                return r.out();
                            },
                            c,
                            2f,
                            dtype == CudaDtype.F32 ? KernelHarness.ABS : F16_TOLERANCE,
                            dtype == CudaDtype.F32 ? KernelHarness.REL : F16_TOLERANCE,
                            " (cuda-emu " + dtype + ", " + sanitizer + ")");
                }
            }
        }
        // n 17 with the output transform and padding (batch 2), n 40 plain
        for (int[] nv : new int[][] {{17, 3}, {40, 0}}) {
            AdditiveInputs in = CudaEmulatedAdditiveTest.inputs(ADDITIVE, nv[0], nv[1], nv[0], false);
            CudaEmulator.Run r = emu.runAdditive(ADDITIVE.name(), CudaDtype.F32, in);
            String what = ADDITIVE.name() + " n=" + nv[0] + " under " + sanitizer;
            assertEquals(
                    0,
                    r.process().exitCode(),
                    () -> what + " exited with " + r.process().exitCode() + ":\n"
                            + r.process().stderr());
            assertFalse(
                    r.process().stderr().contains(report),
                    () -> what + ":\n" + r.process().stderr());
            double[] want = AdditiveReference.attention(in, ADDITIVE.effectiveScale());
            for (int x = 0; x < want.length; x++) {
                assertEquals(want[x], r.out()[x], 1e-4 * (1 + Math.abs(want[x])), what + ", element " + x);
            }
        }
    }

    @Test
    void threadSanitizerCatchesTheMissingBarrierAfterStagingK() throws Exception {
        String engine = CudaHeaders.text(ENGINE);
        assertEquals(1, occurrences(engine, K_BARRIER), "the fp32 barrier after staging K, once in the engine");
        String broken = engine.replace(K_BARRIER, "        // Scores of the warp's rows");
        CudaEmulator.Run r = runBroken(Sanitizer.THREAD, Map.of(ENGINE, broken), false);
        assertNotEquals(0, r.process().exitCode(), r.process().stderr());
        assertTrue(
                r.process().stderr().contains("WARNING: ThreadSanitizer: data race"),
                r.process().stderr());
    }

    @Test
    void addressSanitizerCatchesAnOutOfBoundsReadOfKeyValid() throws Exception {
        String engine = CudaHeaders.text(ENGINE);
        assertEquals(1, occurrences(engine, GATHER_READ), "the gather's key_valid read, once in the engine");
        // one past the end of the item's row for the first key of a segment ending at n - 1
        String broken = engine.replace(GATHER_READ, "keyValid[validBase + j + c.hi[seg] + 1]");
        CudaEmulator.Run r = runBroken(Sanitizer.ADDRESS, Map.of(ENGINE, broken), true);
        assertNotEquals(0, r.process().exitCode(), r.process().stderr());
        assertTrue(
                r.process().stderr().contains("ERROR: AddressSanitizer: heap-buffer-overflow"),
                r.process().stderr());
    }

    /** longformer_base alone, built with the edited engine, run once (n 65; padded when asked). */
    private static CudaEmulator.Run runBroken(Sanitizer sanitizer, Map<String, String> replaced, boolean padding)
            throws Exception {
        PatternIR p = PATTERNS.get("longformer_base");
        Path dir = Files.createDirectories(work.resolve("broken-" + sanitizer.name()));
        CudaEmulator emu = CudaEmulator.build(dir, List.of(PLANS.get(0)), sanitizer, replaced);
        Case c = new Case(1, p.heads().orElse(2), 65, TensorLayout.BHLD, padding, true, false, 0, 5);
        AttentionInputs in = KernelHarness.inputs(p, c, 2f);
        return emu.run(p.name(), CudaDtype.F32, KernelHarness.binding(p), in);
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
