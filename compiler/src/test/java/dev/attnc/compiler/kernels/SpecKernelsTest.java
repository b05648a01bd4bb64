package dev.attnc.compiler.kernels;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.kernels.KernelHarness.Case;
import dev.attnc.runtime.AttentionKernel;
import dev.attnc.runtime.TensorLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every softmax pattern of {@code specs/}: the generated kernel, compiled in the test,
 * against the dense reference (tolerance in {@link KernelHarness}) on lengths
 * {1, 2, 3, 17, 63, 64, 65, 127, 257, 1000, 2048} (2048 for the first pattern of each file
 * and every pattern of at most 8 heads), in both layouts, with and without
 * padding, runtime globals and separate global projections, at several layers. Batch and
 * head counts vary with the length to keep the O(n²) reference affordable; the spec's head
 * count is used where it fixes one.
 */
class SpecKernelsTest {

    static final int[] LENGTHS = {1, 2, 3, 17, 63, 64, 65, 127, 257, 1000, 2048};

    static Path specs() {
        String dir = System.getProperty("attnc.specs.dir");
        return (dir == null || dir.isBlank() ? Path.of("..", "specs") : Path.of(dir))
                .toAbsolutePath()
                .normalize();
    }

    @TestFactory
    Stream<DynamicTest> everySpecKernelMatchesTheReference() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String file :
                List.of("bigbird.attn", "causal_local.attn", "dense.attn", "longformer.attn", "longformer_char.attn")) {
            Pipeline.Result r = Pipeline.compileFile(specs().resolve(file), "specs/" + file);
            boolean first = true;
            for (PatternIR p : r.patterns()) {
                if (p.isAdditive()) {
                    continue;
                }
                boolean longest = first || p.heads().orElse(1) <= 8;
                first = false;
                tests.add(DynamicTest.dynamicTest(file + " " + p.name(), () -> {
                    AttentionKernel k = KernelHarness.load(p);
                    long seed = p.name().hashCode();
                    for (int n : LENGTHS) {
                        if (n == 2048 && !longest) {
                            continue; // the O(n²) reference at 12+ heads: once per file is enough
                        }
                        int heads = p.heads().orElse(n >= 1000 ? 1 : 3);
                        int batch = n >= 1000 ? 1 : 2;
                        int layers = p.layers().orElse(1);
                        int layer = (int) Math.floorMod(seed + n, layers);
                        boolean pad = n % 2 == 1;
                        boolean globals = n % 3 != 0;
                        boolean proj = n % 4 == 1;
                        TensorLayout layout = n % 5 < 3 ? TensorLayout.BHLD : TensorLayout.BLHD;
                        KernelHarness.compare(
                                r.unit().orElseThrow(),
                                p,
                                k,
                                new Case(batch, heads, n, layout, pad, globals, proj, layer, seed + n),
                                2f);
                    }
                }));
            }
        }
        return tests.stream();
    }
}
