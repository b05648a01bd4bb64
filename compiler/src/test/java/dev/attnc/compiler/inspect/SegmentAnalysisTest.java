package dev.attnc.compiler.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.interp.DenseMask;
import dev.attnc.compiler.interp.MaskInterpreter;
import dev.attnc.compiler.ir.MaskBindings;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.source.SourceFile;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The analysis (RowEvaluator, TileAnalysis: from the IR) agrees with the interpreter (from the
 * AST) on {@code segments from input} under random packings: the same pair count per tile and
 * the same class (empty, partial, full), at several lengths and tile sizes.
 */
class SegmentAnalysisTest {

    @Test
    void tileCountsAndClassesMatchTheOracleOnPackedSequences() {
        Random rnd = new Random(2026);
        for (String mask : List.of(
                "segments from input",
                "causal & segments from input",
                "(window 3 | global tokens [0] and from input) & segments from input",
                "causal - segments from input",
                "window 2 dilation 2 & segments from input | global tokens [-1]")) {
            String spec = "pattern p { head_dim 8  " + mask + " }";
            Pipeline.Result r = Pipeline.compileSource(SourceFile.ofString("seg.attn", spec));
            assertTrue(r.ok(), () -> r.diagnostics().render());
            PatternIR p = r.pattern("p").orElseThrow();
            for (int n : new int[] {1, 2, 7, 16, 33, 70}) {
                for (int kind = 0; kind < 4; kind++) {
                    int[] ids = new int[n];
                    for (int i = 0; i < n; i++) {
                        ids[i] = switch (kind) {
                            case 0 -> 3;
                            case 1 -> i;
                            case 2 -> i > 0 && rnd.nextInt(4) != 0 ? ids[i - 1] : rnd.nextInt(3);
                            default -> i / (1 + rnd.nextInt(9));
                        };
                    }
                    int[] globals = {rnd.nextInt(n)};
                    MaskBindings b = new MaskBindings(n, 0, 0, globals, null, ids);
                    int qt = 1 + rnd.nextInt(16);
                    int kt = 1 + rnd.nextInt(16);
                    TileMap map = TileAnalysis.analyze(p.mask(), b, qt, kt);
                    DenseMask m = MaskInterpreter.evaluate(r.unit().orElseThrow(), "p", b);
                    String where = mask + " n=" + n + " kind " + kind + " tiles " + qt + "x" + kt;
                    assertEquals(m.count(), map.pairs(), where);
                    for (int q = 0; q < map.queryTiles(); q++) {
                        int q0 = q * qt;
                        int q1 = Math.min(n, q0 + qt);
                        for (int k = 0; k < map.keyTiles(); k++) {
                            int k0 = k * kt;
                            int k1 = Math.min(n, k0 + kt);
                            long want = m.count(q0, q1, k0, k1);
                            TileClass cls = want == 0
                                    ? TileClass.EMPTY
                                    : want == (long) (q1 - q0) * (k1 - k0) ? TileClass.FULL : TileClass.PARTIAL;
                            assertEquals(want, map.rows().get(q).countOf(k), where + " tile " + q + "," + k);
                            assertEquals(cls, map.rows().get(q).classOf(k), where + " tile " + q + "," + k);
                        }
                    }
                }
            }
        }
    }
}
