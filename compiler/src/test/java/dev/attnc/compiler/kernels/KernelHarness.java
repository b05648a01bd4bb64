package dev.attnc.compiler.kernels;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.cuda.CudaEmulator;
import dev.attnc.compiler.cuda.EmuToolchain;
import dev.attnc.compiler.exec.PatternInputs;
import dev.attnc.compiler.frontend.CompilationUnit;
import dev.attnc.compiler.interp.ReferenceAttention;
import dev.attnc.compiler.ir.MaskBlocks;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.jit.KernelCompiler;
import dev.attnc.compiler.loops.KernelPlan;
import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.AttentionKernel;
import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.TensorLayout;
import dev.attnc.runtime.kernel.PatternBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Runs a generated kernel and the dense reference on the same random inputs and compares
 * them. Tolerance (fp32 kernel against the double-precision reference):
 * {@code |got - want| <= 1e-4 + 1e-4·|want|} per element.
 */
final class KernelHarness {

    static final double ABS = 1e-4;
    static final double REL = 1e-4;

    /** What to put into one call besides q, k, v. */
    record Case(
            int batch,
            int heads,
            int n,
            TensorLayout layout,
            boolean padding,
            boolean runtimeGlobals,
            boolean globalProjections,
            int layer,
            long seed) {
        @Override
        public String toString() {
            return "B" + batch + " H" + heads + " n" + n + " " + layout + (padding ? " padded" : "")
                    + (runtimeGlobals ? " +globals" : "") + (globalProjections ? " +qg/kg/vg" : "") + " layer" + layer
                    + " seed" + seed;
        }
    }

    private KernelHarness() {}

    static AttentionKernel load(PatternIR p) {
        return (AttentionKernel) KernelCompiler.load(p, null);
    }

    static AttentionKernel load(PatternIR p, String schedule) {
        return (AttentionKernel) KernelCompiler.load(p, schedule);
    }

    /**
     * The CUDA kernels of {@code patterns} built for the CPU emulator in {@code dir}; the calling
     * test is skipped, with the reason, where g++ or the CUDA headers are missing.
     */
    static CudaEmulator emulator(List<PatternIR> patterns, Path dir) throws IOException {
        assumeTrue(
                EmuToolchain.unavailableReason().isEmpty(),
                () -> EmuToolchain.unavailableReason().orElse(""));
        List<KernelPlan> plans = new ArrayList<>();
        for (PatternIR p : patterns) {
            plans.add(Pipeline.cuda(p, null).plan());
        }
        return CudaEmulator.build(Files.createDirectories(dir), plans, EmuToolchain.Sanitizer.NONE);
    }

    /** The generated host side of {@code p} alone, as the CUDA host code and the emulator use it. */
    static PatternBinding binding(PatternIR p) {
        return KernelCompiler.binding(p);
    }

    /** Random inputs for {@code c}, values in [-scale, scale]. */
    static AttentionInputs inputs(PatternIR p, Case c, float valueScale) {
        return inputs(p, c, valueScale, c.heads());
    }

    /**
     * Random inputs for {@code c} whose k, v (kg, vg) hold {@code kvHeads} heads (grouped-query
     * attention; {@code c.heads()} is the ordinary case), values in [-scale, scale].
     */
    static AttentionInputs inputs(PatternIR p, Case c, float valueScale, int kvHeads) {
        Random rnd = new Random(c.seed());
        AttentionShape shape = new AttentionShape(c.batch(), c.heads(), c.n(), p.headDim(), kvHeads);
        int kv = shape.kvElements();
        AttentionInputs.Builder b = AttentionInputs.builder(shape, c.layout())
                .qkv(randoms(rnd, shape.elements(), valueScale), randoms(rnd, kv, valueScale), randoms(rnd, kv, 1f))
                .layer(c.layer());
        if (c.globalProjections()) {
            b.globalProjections(
                    randoms(rnd, shape.elements(), valueScale), randoms(rnd, kv, valueScale), randoms(rnd, kv, 1f));
        }
        if (c.padding()) {
            boolean[] valid = new boolean[c.batch() * c.n()];
            for (int x = 0; x < c.batch(); x++) {
                int len = x == 0 ? c.n() : rnd.nextInt(c.n() + 1); // item 0 unpadded, others cut anywhere
                for (int i = 0; i < c.n(); i++) {
                    valid[x * c.n() + i] = i < len && (c.n() < 8 || rnd.nextInt(16) != 0); // plus holes
                }
            }
            b.keyValid(valid);
        }
        if (c.runtimeGlobals()) {
            boolean[] g = new boolean[c.batch() * c.n()];
            for (int x = 0; x < g.length; x++) {
                g[x] = rnd.nextInt(Math.max(4, c.n() / 6)) == 0;
            }
            b.globalMask(g);
        }
        if (PatternInputs.readsSegmentIds(p)) {
            int[] ids = new int[c.batch() * c.n()];
            for (int x = 0; x < c.batch(); x++) {
                int[] item = packing(rnd, c.n(), (int) ((c.seed() + x) % PACKINGS));
                System.arraycopy(item, 0, ids, x * c.n(), c.n());
            }
            b.segmentIds(ids);
        }
        if (PatternInputs.readsPrefixLengths(p)) {
            // Per item: no prefix, the whole sequence, or a length in between, by seed and item.
            int[] prefix = new int[c.batch()];
            for (int x = 0; x < prefix.length; x++) {
                long pick = Math.floorMod(c.seed() + x, 3L);
                prefix[x] = pick == 0 ? 0 : pick == 1 ? c.n() : rnd.nextInt(c.n() + 1);
            }
            b.prefixLengths(prefix);
        }
        int layoutBlock = MaskBlocks.layout(p.mask());
        if (layoutBlock > 0) {
            int nb = shape.blocks(layoutBlock);
            int r = 2;
            int[] lay = new int[c.heads() * nb * r];
            for (int x = 0; x < lay.length; x++) {
                lay[x] = rnd.nextInt(nb);
            }
            b.randomLayout(lay, layoutBlock, r);
        }
        return b.build();
    }

    /** The kinds of packing {@link #packing} makes. */
    static final int PACKINGS = 5;

    /**
     * Segment ids of {@code n} packed tokens, by {@code kind}: 0 random lengths with a new id per
     * run; 1 one segment; 2 every token its own segment; 3 short runs (length 1 often) with ids
     * from a pool of three, so that equal ids recur in runs that are not adjacent; 4 runs of 1 to
     * 4 tokens with arbitrary (also negative) ids.
     */
    static int[] packing(Random rnd, int n, int kind) {
        int[] ids = new int[n];
        int i = 0;
        int run = 0;
        while (i < n) {
            int len = switch (kind) {
                case 0 -> 1 + rnd.nextInt(Math.max(1, n / 3));
                case 1 -> n;
                case 2 -> 1;
                case 3 -> rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(Math.max(1, n / 4)) : 1;
                default -> 1 + rnd.nextInt(4);
            };
            int id = switch (kind) {
                case 0 -> run;
                case 1 -> 7;
                case 2 -> 3 * i - 5;
                case 3 -> rnd.nextInt(3);
                default -> rnd.nextInt();
            };
            for (int t = 0; t < len && i < n; t++) {
                ids[i++] = id;
            }
            run++;
        }
        return ids;
    }

    private static float[] randoms(Random rnd, int size, float scale) {
        float[] a = new float[size];
        for (int x = 0; x < size; x++) {
            a[x] = (rnd.nextFloat() * 2 - 1) * scale;
        }
        return a;
    }

    /** Runs kernel and reference on {@code c}; fails with the first element out of tolerance. */
    static void compare(CompilationUnit unit, PatternIR p, AttentionKernel kernel, Case c, float valueScale) {
        compare(unit, p, kernel::compute, c, valueScale, ABS, REL, "");
    }

    /**
     * Runs {@code kernel} and the reference on {@code c}; fails with the first element beyond
     * {@code abs + rel·|want|}. The label says which backend or dtype ran.
     */
    static void compare(
            CompilationUnit unit,
            PatternIR p,
            Function<AttentionInputs, float[]> kernel,
            Case c,
            float valueScale,
            double abs,
            double rel,
            String label) {
        compare(unit, p, kernel, c, valueScale, c.heads(), abs, rel, label);
    }

    /** As {@link #compare(CompilationUnit, PatternIR, Function, Case, float, double, double, String)}, with {@code kvHeads} kv heads. */
    static void compare(
            CompilationUnit unit,
            PatternIR p,
            Function<AttentionInputs, float[]> kernel,
            Case c,
            float valueScale,
            int kvHeads,
            double abs,
            double rel,
            String label) {
        AttentionInputs in = inputs(p, c, valueScale, kvHeads);
        float[] got = kernel.apply(in);
        double[] want = ReferenceAttention.compute(unit, p.name(), in, p.effectiveScale());
        for (int x = 0; x < want.length; x++) {
            if (!Float.isFinite(got[x]) || Math.abs(got[x] - want[x]) > abs + rel * Math.abs(want[x])) {
                AttentionShape s = in.shape();
                int d = x % s.headDim();
                String where = c.layout() == TensorLayout.BHLD
                        ? "[b " + x / (s.heads() * s.length() * s.headDim()) + ", h "
                                + x / (s.length() * s.headDim()) % s.heads() + ", i " + x / s.headDim() % s.length()
                                + ", x " + d + "]"
                        : "[b " + x / (s.length() * s.heads() * s.headDim()) + ", i "
                                + x / (s.heads() * s.headDim()) % s.length() + ", h " + x / s.headDim() % s.heads()
                                + ", x " + d + "]";
                fail(p.name() + label + " " + c + ": element " + where + " = " + got[x] + ", reference " + want[x]
                        + " (tolerance " + abs + " + " + rel + "·|want|)");
            }
        }
    }

    /** Compiles spec text that must be free of errors. */
    static Pipeline.Result compile(String spec) {
        Pipeline.Result r = Pipeline.compileSource(dev.attnc.compiler.source.SourceFile.ofString("test.attn", spec));
        if (!r.ok()) {
            fail("spec does not compile:\n" + r.diagnostics().render() + "\n" + spec);
        }
        return r;
    }
}
