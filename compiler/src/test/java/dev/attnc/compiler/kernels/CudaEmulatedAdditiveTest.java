package dev.attnc.compiler.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.cuda.CudaEmulator;
import dev.attnc.compiler.cuda.EmuToolchain;
import dev.attnc.compiler.emit.CudaHeaders;
import dev.attnc.compiler.ir.Attention;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.loops.KernelPlan;
import dev.attnc.runtime.AdditiveInputs;
import dev.attnc.runtime.AdditiveReference;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.cuda.CudaAdditiveShape;
import dev.attnc.runtime.cuda.CudaDtype;
import dev.attnc.runtime.cuda.CudaEntries;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Fastformer (additive) CUDA kernels run on the CPU: the generated {@code .cu}, unchanged,
 * compiled by g++ under {@code attnc_emu.h}, the five launches of {@code attnc_additive.cuh}
 * (two poolings split into sequence chunks and merged by a grid reduction, the tiled output
 * GEMM) against the double-precision reference. Patterns: both of {@code specs/fastformer.attn}
 * (pooling matrix with shared value; per-head vectors with a separate value) and head dims the
 * specs do not use (1, 40 — not a multiple of 32 —, 64, 256). Lengths 1, 17, 65 (partial
 * output tiles), 257 (three pooling chunks) in fp32, 17 and 40 in fp16/bf16; 1001 (eight
 * uneven chunks); with and without the output transform and padding (padding anywhere,
 * and a batch item with no valid token at all).
 *
 * <p>Tolerances, {@code |got − want| ≤ tol·(1 + |want|)}: fp32 1e-4; fp16 inputs and outputs
 * (11 significant bits) 2e-2; bf16 (8 bits) 1.2e-1 — the output sums E products of rounded
 * values, so the error grows with the row's magnitude, as {@code |want|} does.
 */
class CudaEmulatedAdditiveTest {

    static final String EXTRA = """
            pattern pool_d1 { head_dim 1 heads 3 additive }
            pattern pool_d40 { head_dim 40 heads 3 additive (value separate, pooling vector) }
            pattern pool_d64 { head_dim 64 heads 2 additive }
            pattern pool_d256 { head_dim 256 heads 1 additive (pooling vector) }
            """;

    @TempDir
    static Path work;

    static final Map<String, PatternIR> PATTERNS = new LinkedHashMap<>();
    static CudaEmulator emulator;

    @BeforeAll
    static void build() throws Exception {
        assumeTrue(
                EmuToolchain.unavailableReason().isEmpty(),
                () -> EmuToolchain.unavailableReason().orElse(""));
        List<PatternIR> all = new ArrayList<>(
                Pipeline.compileFile(SpecKernelsTest.specs().resolve("fastformer.attn"), "specs/fastformer.attn")
                        .patterns());
        all.addAll(KernelHarness.compile(EXTRA).patterns());
        List<KernelPlan> plans = new ArrayList<>();
        for (PatternIR p : all) {
            PATTERNS.put(p.name(), p);
            plans.add(Pipeline.cuda(p, null).plan());
        }
        emulator = CudaEmulator.build(work, plans, EmuToolchain.Sanitizer.NONE);
    }

    @Test
    void everyEntryIsBuiltWithTheLaunchShapeOfTheJCudaHost() {
        for (String name : PATTERNS.keySet()) {
            for (CudaDtype d : CudaDtype.values()) {
                CudaEmulator.EntryInfo e = emulator.entries().get(CudaEntries.softmax(name, d));
                assertTrue(e != null, CudaEntries.softmax(name, d));
                assertEquals(CudaAdditiveShape.POOL_THREADS, e.threads(), e.name());
            }
        }
    }

    /** The JCuda host code ({@link CudaAdditiveShape}) launches with the engine's constants. */
    @Test
    void theJCudaHostShapeAgreesWithTheEngineHeader() {
        String header = CudaHeaders.text("attnc_additive.cuh");
        Map<String, Integer> want = Map.of(
                "POOL_THREADS",
                CudaAdditiveShape.POOL_THREADS,
                "POOL_TOKENS",
                CudaAdditiveShape.POOL_TOKENS,
                "POOL_MAX_CHUNKS",
                CudaAdditiveShape.POOL_MAX_CHUNKS,
                "COMBINE_THREADS",
                CudaAdditiveShape.COMBINE_THREADS,
                "OUT_TILE",
                CudaAdditiveShape.OUT_TILE,
                "OUT_THREADS",
                CudaAdditiveShape.OUT_THREADS);
        Map<String, Integer> constants = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^constexpr int (\\w+) = ([^;]+);").matcher(header);
        while (m.find()) {
            String v = m.group(2).trim();
            for (var c : constants.entrySet()) {
                v = v.replace(c.getKey(), c.getValue().toString());
            }
            constants.put(m.group(1), evalProduct(v));
        }
        want.forEach((name, value) -> assertEquals(value, constants.get(name), name + " in attnc_additive.cuh"));
    }

    /** {@code a} or {@code a * b} of integer literals. */
    private static int evalProduct(String v) {
        int r = 1;
        for (String f : v.split("\\*")) {
            r *= Integer.parseInt(f.trim());
        }
        return r;
    }

    @Test
    void fastformerSpecsMatchTheReference() {
        int k = 0;
        for (String name : List.of("fastformer", "fastformer_paper")) {
            for (int n : new int[] {1, 17, 65, 257}) {
                check(name, CudaDtype.F32, n, k++ % 4, 1e-4);
            }
            check(name, CudaDtype.F16, 17, k++ % 4, 2e-2);
            check(name, CudaDtype.BF16, 17, k++ % 4, 1.2e-1);
        }
    }

    @Test
    void headDimsTheSpecsDoNotUseMatchTheReference() {
        int k = 1;
        for (String name : List.of("pool_d1", "pool_d40", "pool_d64", "pool_d256")) {
            for (int n : new int[] {1, 33, 129}) {
                check(name, CudaDtype.F32, n, k++ % 4, 1e-4);
            }
            check(name, CudaDtype.F16, 40, 1, 2e-2);
            check(name, CudaDtype.BF16, 40, 2, 1.2e-1);
        }
    }

    @Test
    void longSequencesSplitIntoUnevenChunks() {
        check("pool_d64", CudaDtype.F32, 1001, 3, 1e-4); // 8 chunks of 125 or 126 tokens
        assertEquals(8, CudaAdditiveShape.poolChunks(1001));
        // past 64·128 tokens the chunks grow instead (the kernels take the count from gridDim.x;
        // the emulated host and CudaAdditiveShape compute it alike, see the header test)
        assertEquals(64, CudaAdditiveShape.poolChunks(8300));
        assertEquals(64, CudaAdditiveShape.poolChunks(Integer.MAX_VALUE / 2));
    }

    @Test
    void aBatchItemWithoutValidTokensGivesZeros() {
        PatternIR p = PATTERNS.get("fastformer_paper");
        AdditiveInputs in = inputs(p, 65, 3, 5, /* noneValidInItem1 */ true);
        float[] got = emulator.additive(p.name(), CudaDtype.F32, in);
        int e = in.shape().heads() * in.shape().headDim();
        for (int x = 65 * e; x < 2 * 65 * e; x++) {
            assertEquals(0f, got[x], "element " + x + " of batch item 1");
        }
        compare(p, in, got, 1e-4, "f32 no valid token in item 1");
    }

    private static void check(String name, CudaDtype dtype, int n, int variant, double tol) {
        PatternIR p = PATTERNS.get(name);
        AdditiveInputs in = inputs(p, n, variant, name.hashCode() * 31L + n * 7L + variant, false);
        float[] got = emulator.additive(name, dtype, in);
        compare(p, in, got, tol, dtype.suffix() + " n=" + n + " variant " + variant);
    }

    static void compare(PatternIR p, AdditiveInputs in, float[] got, double tol, String what) {
        double[] want = AdditiveReference.attention(in, p.effectiveScale());
        assertEquals(want.length, got.length);
        double worst = 0;
        int at = -1;
        for (int x = 0; x < want.length; x++) {
            double err = Math.abs(got[x] - want[x]) / (1 + Math.abs(want[x]));
            if (!(err <= worst)) { // NaN counts as worst
                worst = err;
                at = x;
            }
        }
        double w = worst;
        int a = at;
        assertTrue(
                w <= tol,
                () -> p.name() + " " + what + ": element " + a + " got " + got[a] + ", want " + want[a]
                        + " (relative error " + w + " > " + tol + ")");
    }

    /**
     * variant 0: plain; 1: output transform; 2: padding; 3: output transform and padding.
     * Batch 2 (1 from n = 65 on, to keep the emulation short).
     */
    static AdditiveInputs inputs(PatternIR p, int n, int variant, long seed, boolean noneValidInItem1) {
        Attention.Additive a = (Attention.Additive) p.attention();
        Random rnd = new Random(seed);
        int heads = p.heads().orElse(2);
        int d = p.headDim();
        int e = heads * d;
        int batch = noneValidInItem1 ? 3 : n >= 65 ? 1 : 2;
        AdditiveInputs.Builder b = AdditiveInputs.builder(new AttentionShape(batch, heads, n, d))
                .qkv(
                        rand(rnd, batch * n * e),
                        rand(rnd, batch * n * e),
                        a.sharedValue() ? null : rand(rnd, batch * n * e));
        if (a.poolingMatrix()) {
            b.poolingMatrices(rand(rnd, heads * e), rand(rnd, heads), rand(rnd, heads * e), rand(rnd, heads));
        } else {
            b.poolingVectors(rand(rnd, heads * d), rand(rnd, heads), rand(rnd, heads * d), rand(rnd, heads));
        }
        if (variant % 2 == 1) {
            b.outputTransform(rand(rnd, e * e), rand(rnd, e));
        }
        if (variant >= 2 || noneValidInItem1) {
            boolean[] valid = new boolean[batch * n];
            for (int x = 0; x < valid.length; x++) {
                valid[x] = (noneValidInItem1 ? x / n != 1 : x % n < n - x / n) && rnd.nextInt(4) != 0;
            }
            b.keyValid(valid);
        }
        return b.build();
    }

    private static float[] rand(Random rnd, int size) {
        return AdditiveKernelTest.rand(rnd, size);
    }
}
