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
import org.junit.jupiter.api.Test;

/**
 * The IR analysis ({@link RowEvaluator} through {@link TileAnalysis}) of {@code keys} and
 * {@code queries} sets against the AST oracle: total pairs and each tile's count and class, for
 * static sets, the run-time prefix (0, n and in between) and the sets combined with the other
 * terms, at edge lengths and tile sizes that do not divide them.
 */
class KeySetAnalysisTest {

    @Test
    void tileCountsAndClassesMatchTheOracle() {
        List<String> masks = List.of(
                "causal | keys [0..6] & queries [0..6]",
                "causal | keys from input & queries from input",
                "causal & (window 4 before | keys [0..3])",
                "keys [1, -2..-1], first 1 block - window 1",
                "queries last 2 blocks, [3] | window 3 blocks",
                "(window 3 | queries from input) - keys blocks [1..-2]",
                "global tokens [2] | keys last 3 tokens & queries first 4 tokens");
        for (String mask : masks) {
            String spec = "pattern p { head_dim 8 block 5\n  " + mask + "\n}\n";
            Pipeline.Result r = Pipeline.compileSource(SourceFile.ofString("keysets.attn", spec));
            assertTrue(r.ok(), () -> r.diagnostics().render());
            PatternIR p = r.pattern("p").orElseThrow();
            for (int n : new int[] {1, 2, 5, 17, 61, 64, 127}) {
                for (int prefix : new int[] {0, n / 3, n}) {
                    MaskBindings b = MaskBindings.of(n).withPrefix(prefix);
                    DenseMask m = MaskInterpreter.evaluate(r.unit().orElseThrow(), "p", b);
                    for (int[] tiles : new int[][] {{7, 16}, {64, 1}}) {
                        check(p, b, m, tiles[0], tiles[1], mask + " n=" + n + " prefix=" + prefix);
                    }
                }
            }
        }
    }

    private static void check(PatternIR p, MaskBindings b, DenseMask m, int queryTile, int keyTile, String what) {
        TileMap map = TileAnalysis.analyze(p.mask(), b, queryTile, keyTile);
        assertEquals(m.count(), map.pairs(), () -> "total pairs of " + what);
        assertEquals(m.count(), TileAnalysis.countPairs(p.mask(), b), () -> "counted pairs of " + what);
        int n = b.n();
        for (int qt = 0; qt < map.queryTiles(); qt++) {
            TileMap.QueryTileRow row = map.rows().get(qt);
            int q0 = qt * queryTile;
            int q1 = Math.min(n, q0 + queryTile);
            for (int kt = 0; kt < map.keyTiles(); kt++) {
                int k0 = kt * keyTile;
                int k1 = Math.min(n, k0 + keyTile);
                long want = m.count(q0, q1, k0, k1);
                TileClass cls = want == 0
                        ? TileClass.EMPTY
                        : want == (long) (q1 - q0) * (k1 - k0) ? TileClass.FULL : TileClass.PARTIAL;
                int t = kt;
                assertEquals(want, row.countOf(kt), () -> "count of tile " + t + " of " + what);
                assertEquals(cls, row.classOf(kt), () -> "class of tile " + t + " of " + what);
            }
        }
    }
}
