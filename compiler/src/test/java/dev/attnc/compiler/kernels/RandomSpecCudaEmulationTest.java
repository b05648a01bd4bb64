package dev.attnc.compiler.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.cuda.CudaEmulator;
import dev.attnc.compiler.cuda.EmuToolchain;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.kernels.KernelHarness.Case;
import dev.attnc.compiler.loops.KernelPlan;
import dev.attnc.compiler.source.SourceFile;
import dev.attnc.runtime.TensorLayout;
import dev.attnc.runtime.cuda.CudaDtype;
import dev.attnc.runtime.kernel.PatternBinding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random specs over the whole mask language ({@link RandomSpecs}, with head dims 16..128
 * including 24, 40, 80, and per-layer values) through the emulated CUDA backend: a fixed-seed
 * batch plus the fixed cases below, all built into ONE emulator executable (the g++
 * build is the expensive part), then each pattern against the dense reference: fp32 at
 * n in {1, 17, 63, 65, 130}, fp16 and bf16 at one length each, random batch (1-2), the
 * spec's heads (1-3) and layer, padding, runtime globals, separate global projections and
 * layout varying from run to run. Tolerances as in {@link CudaEmulatedKernelsTest}. One
 * dynamic test per pattern, named by its spec text. {@code -Dattnc.emu.work=DIR} keeps the
 * build (and the inputs of failed runs). Skipped, with the reason, without g++ or the CUDA
 * headers.
 */
class RandomSpecCudaEmulationTest {

    /** {@code -Dattnc.random.seed=S -Dattnc.random.count=N} explore other batches (the build grows with N). */
    static final long SEED = Long.getLong("attnc.random.seed", 20260417L);

    static final int RANDOM_PATTERNS = Integer.getInteger("attnc.random.count", 16);
    static final int[] LENGTHS = {1, 17, 63, 65, 130};
    static final int[] HEAD_DIMS = {16, 24, 32, 40, 48, 64, 80, 96, 128};

    /**
     * Fixed cases: constructs a random batch of this size may miss (scoped overrides, per-head
     * dilation, per-layer random counts and global blocks together), then specs that once failed
     * here. {@code pattern p} is renamed like the random ones.
     */
    static final List<String> FIXED = List.of("""
            pattern p {
              head_dim 40
              heads 3
              layers 3
              block 5
              window [3, 17, 40] per layer before, 2 after
              dilation 2 on heads 0..1
              dilation 3 on heads 1 in layers 2
              window 9 before in layers 1
            }
            """, """
            pattern p {
              head_dim 24
              heads 2
              block 7
              (window 6 dilation [1, 3] per head | global tokens [1, -2]) - window 1 block after
            }
            """, """
            pattern p {
              head_dim 64
              heads 2
              layers 2
              block 9
              window 3 blocks
              global first [1, 2] per layer blocks
              global tokens [-1]
              random [2, 1] per layer blocks, seed 11
            }
            """);

    record Drawn(String spec, Pipeline.Result result, PatternIR pattern, long seed) {}

    @TempDir
    static Path work;

    static final List<Drawn> DRAWN = new ArrayList<>();
    static CudaEmulator emulator;

    @BeforeAll
    static void build() throws Exception {
        assumeTrue(
                EmuToolchain.unavailableReason().isEmpty(),
                () -> EmuToolchain.unavailableReason().orElse(""));
        Random rnd = new Random(SEED);
        List<String> specs = new ArrayList<>();
        while (specs.size() < RANDOM_PATTERNS) {
            int heads = 1 + rnd.nextInt(3);
            int layers = rnd.nextBoolean() ? 1 : 2 + rnd.nextInt(3);
            int d = HEAD_DIMS[rnd.nextInt(HEAD_DIMS.length)];
            String spec = RandomSpecs.randomSpec(rnd, heads, layers, d);
            if (compile(spec, "r" + specs.size()).ok()) {
                specs.add(spec);
            }
        }
        specs.addAll(FIXED);
        List<KernelPlan> plans = new ArrayList<>();
        for (int x = 0; x < specs.size(); x++) {
            String name = (x < RANDOM_PATTERNS ? "r" : "fixed") + x;
            String spec = specs.get(x);
            Pipeline.Result r = compile(spec, name);
            assertTrue(r.ok(), () -> "does not compile:\n" + r.diagnostics().render() + "\n" + spec);
            PatternIR p = r.patterns().get(0);
            DRAWN.add(new Drawn(spec, r, p, SEED + 7919L * x));
            plans.add(Pipeline.cuda(p, null).plan());
        }
        String keep = System.getProperty("attnc.emu.work", "");
        Path dir = keep.isEmpty() ? work.resolve("random") : Path.of(keep);
        emulator = CudaEmulator.build(Files.createDirectories(dir), plans, EmuToolchain.Sanitizer.NONE);
    }

    private static Pipeline.Result compile(String spec, String name) {
        return Pipeline.compileSource(
                SourceFile.ofString(name + ".attn", spec.replace("pattern p {", "pattern " + name + " {")));
    }

    /** The batch reaches every construct the generator knows (so the seed is not a weak one). */
    @Test
    void theBatchCoversTheMaskLanguage() {
        String all = DRAWN.stream().map(Drawn::spec).collect(Collectors.joining("\n"));
        for (String construct : List.of(
                " dilation ",
                " on heads ",
                " blocks before",
                "window 3 blocks",
                "causal",
                "full",
                "global tokens [",
                ", -",
                "global from input",
                "and from input",
                "global first",
                "random blocks from input",
                ", seed ",
                " | ",
                " & ",
                " - ",
                "] per head",
                "] per layer",
                " in layers ",
                "head_dim 24",
                "head_dim 40",
                "head_dim 128",
                "head_dim 16")) {
            assertTrue(all.contains(construct), () -> "no random spec uses '" + construct + "':\n" + all);
        }
    }

    @TestFactory
    Stream<DynamicTest> randomSpecKernelsMatchTheReference() {
        assumeTrue(emulator != null);
        List<DynamicTest> tests = new ArrayList<>();
        for (Drawn dr : DRAWN) {
            String title = dr.pattern().name() + ": "
                    + dr.spec().replaceAll("\\s*\n\\s*", " ").strip();
            tests.add(DynamicTest.dynamicTest(title, () -> {
                PatternIR p = dr.pattern();
                PatternBinding binding = KernelHarness.binding(p);
                Random rnd = new Random(dr.seed());
                int k = rnd.nextInt(60);
                for (int n : LENGTHS) {
                    check(dr, binding, CudaDtype.F32, randomCase(p, n, rnd, k++), 1e-4);
                }
                check(dr, binding, CudaDtype.F16, randomCase(p, rnd.nextBoolean() ? 65 : 63, rnd, k++), 1e-2);
                check(dr, binding, CudaDtype.BF16, randomCase(p, rnd.nextBoolean() ? 17 : 130, rnd, k++), 6e-2);
            }));
        }
        return tests.stream();
    }

    /** Case {@code k}: the flags cycle through their combinations with k; batch, layer and seed are random. */
    static Case randomCase(PatternIR p, int n, Random rnd, int k) {
        int heads = p.heads().orElse(1 + rnd.nextInt(3));
        int layer = rnd.nextInt(p.layers().orElse(1));
        boolean pad = k % 2 == 1;
        boolean globals = k % 3 != 2;
        boolean proj = k % 4 == 2;
        TensorLayout layout = rnd.nextBoolean() ? TensorLayout.BHLD : TensorLayout.BLHD;
        return new Case(1 + rnd.nextInt(2), heads, n, layout, pad, globals, proj, layer, rnd.nextLong());
    }

    private static void check(Drawn dr, PatternBinding binding, CudaDtype dtype, Case c, double tol) {
        PatternIR p = dr.pattern();
        try {
            KernelHarness.compare(
                    dr.result().unit().orElseThrow(),
                    p,
                    in -> emulator.softmax(p.name(), dtype, binding, in),
                    c,
                    2f,
                    tol,
                    tol,
                    " (cuda-emu " + dtype.suffix() + ")");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nspec:\n" + dr.spec(), e);
        }
    }
}
