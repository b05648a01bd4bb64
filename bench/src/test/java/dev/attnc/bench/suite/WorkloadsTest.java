package dev.attnc.bench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.attnc.compiler.interp.MaskInterpreter;
import dev.attnc.compiler.ir.MaskBindings;
import dev.attnc.compiler.ir.PatternIR;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The grid's pair counts (TileAnalysis, no n×n mask) against the interpreter's n×n masks of the
 * same specs, for every softmax pattern of {@code specs/} at a small length; and the linear or
 * quadratic growth the suite sizes the grid by.
 */
class WorkloadsTest {

    /** Surefire runs in bench/: the repository's specs are one level up. */
    private static final SpecCatalog CATALOG = SpecCatalog.load(Path.of("../specs"));

    private static final int N = 700; // not a multiple of any block or tile: exercises the ragged ends

    @TestFactory
    Stream<DynamicTest> pairCountsMatchTheInterpretersMasks() {
        return CATALOG.entries().stream()
                .filter(e -> !e.pattern().isAdditive())
                .map(e -> DynamicTest.dynamicTest(e.name(), () -> {
                    PatternIR p = e.pattern();
                    int heads = Workloads.heads(p);
                    int[][][] table = RandomLayoutTable.perHead(p, N, heads);
                    long expected = 0;
                    for (int h = 0; h < heads; h++) {
                        MaskBindings b = MaskBindings.of(N).at(Workloads.LAYER, h);
                        if (table != null) {
                            b = b.withLayout(table[h]);
                        }
                        expected +=
                                MaskInterpreter.evaluate(e.unit(), p.name(), b).count();
                    }
                    Workload w = Workloads.of(p, N);
                    assertEquals(expected, w.pairs(), p.name());
                    assertEquals(4.0 * p.headDim() * expected, w.flops(), 0.0);
                }));
    }

    @Test
    void growthSplitsTheSpecsAsTheirMasksSay() {
        List<String> quadratic = new ArrayList<>();
        for (SpecCatalog.Entry e : CATALOG.entries()) {
            if (Workloads.growth(e.pattern()) == Workload.Growth.QUADRATIC) {
                quadratic.add(e.name());
            }
        }
        // full, causal (BLOOM's too), and causal minus a window; every window, block and global pattern is linear
        assertEquals(List.of("bloom_560m", "streaming_evicted", "dense", "dense_causal"), quadratic);
    }

    @Test
    void headsAreTheSpecsOrTwelve() {
        assertEquals(12, Workloads.heads(CATALOG.entry("longformer_mlm").pattern()));
        assertEquals(16, Workloads.heads(CATALOG.entry("longformer_large").pattern()));
        assertEquals(
                12, Workloads.heads(CATALOG.entry("longformer_classification").pattern()));
        assertEquals(
                16, Workloads.of(CATALOG.entry("fastformer").pattern(), 1024).heads());
    }

    @Test
    void fastformerFlopsAreCountedAsDocumented() {
        // official config: H = 16, d = 16, E = 256, pooling matrices: 4·n·E·H + 6·n·E
        assertEquals(
                4.0 * 1024 * 256 * 16 + 6.0 * 1024 * 256,
                Workloads.of(CATALOG.entry("fastformer").pattern(), 1024).flops(),
                0.0);
        // the paper's per-head vectors: 10·n·E
        assertEquals(
                10.0 * 1024 * 256,
                Workloads.of(CATALOG.entry("fastformer_paper").pattern(), 1024).flops(),
                0.0);
    }
}
