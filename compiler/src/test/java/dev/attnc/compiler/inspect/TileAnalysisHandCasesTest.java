package dev.attnc.compiler.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.ir.MaskBindings;
import dev.attnc.compiler.ir.MaskExpr;
import dev.attnc.compiler.source.SourceFile;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Tile maps worked out by hand at tiny lengths (1, 2, 3, primes, lengths that are not a
 * multiple of the tile), the printer's exact text, and the work estimate's arithmetic.
 */
class TileAnalysisHandCasesTest {

    private static MaskExpr mask(String terms) {
        Pipeline.Result r = Pipeline.compileSource(
                SourceFile.ofString("hand.attn", "pattern p { head_dim 8 heads 2 block 4 " + terms + " }"));
        assertTrue(r.ok(), () -> r.diagnostics().render());
        return r.pattern("p").orElseThrow().mask();
    }

    private static TileMap map(String terms, int n, int qt, int kt) {
        return TileAnalysis.analyze(mask(terms), MaskBindings.of(n), qt, kt);
    }

    @Test
    void lengthOneIsOneFullTileForEveryNonEmptyTerm() {
        for (String t : new String[] {
            "full",
            "causal",
            "window 0",
            "window 5 dilation 3",
            "global tokens [-1]",
            "window 1 block",
            "global first 1 block"
        }) {
            TileMap m = map(t, 1, 16, 7);
            assertEquals(1, m.pairs(), t);
            assertEquals(1, m.rows().size(), t);
            assertArrayEquals(new int[] {0}, m.rows().get(0).keyTiles(), t);
            assertEquals(TileClass.FULL, m.rows().get(0).classOf(0), t);
            assertEquals(1.0, m.density(), t);
        }
        assertEquals(0, map("global tokens [1..3]", 1, 1, 1).pairs(), "indices past n select nothing");
        assertEquals(
                1, map("random 2 blocks, seed 1", 1, 1, 1).pairs(), "no window to exclude it: the only block is drawn");
        assertEquals(
                1,
                map("window 1 block random 2 blocks, seed 1", 1, 1, 1).pairs(),
                "the window has block 0 already: nothing left to draw");
        assertEquals(0, map("causal - full", 1, 1, 1).rows().get(0).size(), "an empty row lists no tile");
    }

    @Test
    void lengthTwoAndThree() {
        TileMap w = map("window 1", 2, 1, 1);
        assertEquals(4, w.pairs());
        assertEquals(4, w.tiles(TileClass.FULL));
        // causal at n = 3, tiles of 2: rows {0,1} × keys {0,1} has 3 of 4 pairs; key 2 is in no row of it.
        TileMap c = map("causal", 3, 2, 2);
        assertEquals(6, c.pairs());
        assertEquals(TileClass.PARTIAL, c.rows().get(0).classOf(0));
        assertEquals(3, c.rows().get(0).countOf(0));
        assertEquals(TileClass.EMPTY, c.rows().get(0).classOf(1));
        assertEquals(TileClass.FULL, c.rows().get(1).classOf(0), "row 2 × keys {0,1}");
        assertEquals(TileClass.FULL, c.rows().get(1).classOf(1), "the clipped 1×1 corner tile");
        assertEquals("+.\n##\n", grid(c));
    }

    @Test
    void dilatedWindowAtAPrimeLength() {
        int n = 13;
        TileMap m = map("window 2 dilation 3", n, 5, 3);
        long want = 0;
        for (int i = 0; i < n; i++) {
            want += Math.min(2, i / 3) + Math.min(2, (n - 1 - i) / 3) + 1;
        }
        assertEquals(want, m.pairs());
        // Row 0 attends 0, 3, 6: key tiles 0, 1, 2 (of 3 keys), one key each, never full.
        TileMap one = map("window 2 dilation 3", n, 1, 3);
        assertArrayEquals(new int[] {0, 1, 2}, one.rows().get(0).keyTiles());
        assertArrayEquals(new long[] {1, 1, 1}, one.rows().get(0).counts());
        assertArrayEquals(
                new TileClass[] {TileClass.PARTIAL, TileClass.PARTIAL, TileClass.PARTIAL},
                one.rows().get(0).classes());
        // Row 12 attends 6, 9, 12: key tile 4 holds only key 12, so that clipped 1×1 tile is full.
        assertEquals(TileClass.FULL, one.rows().get(12).classOf(4));
        assertEquals(TileClass.PARTIAL, one.rows().get(12).classOf(3));
    }

    @Test
    void printerDrawsTheBandOfAWindow() {
        TileMap m = map("window 1", 8, 2, 2);
        assertEquals(
                "tiles 2x2 at n=8: 22 pairs (34.38%), 4 full, 6 partial\n" + "#+..\n" + "+#+.\n" + ".+#+\n" + "..+#\n",
                TileMapPrinter.print(m));
    }

    @Test
    void setAlgebraOnTiles() {
        // window 2 minus window 1 leaves i±2: at n = 7 that is 2·7 − 2·2 = 10 pairs, never the diagonal.
        TileMap m = map("window 2 - window 1", 7, 1, 1);
        assertEquals(10, m.pairs());
        for (TileMap.QueryTileRow r : m.rows()) {
            assertEquals(TileClass.EMPTY, r.classOf(r.queryTile()));
        }
        // causal & global [-1]: only the last row attends all keys; every row attends key n−1 only if causal allows.
        assertEquals(7, map("causal & global tokens [-1]", 7, 1, 1).pairs());
    }

    @Test
    void workEstimateArithmetic() {
        TileMap c = map("causal", 3, 2, 2);
        WorkEstimate w = WorkEstimate.of(c, 8);
        assertEquals(6, w.pairs());
        assertEquals(4L * 8 * 6, w.flops());
        // Q and O once (2·3 rows), K and V per key-tile load: 2 + (2 + 1) keys.
        assertEquals(2L * 3 * 8 * 4 + 2L * 5 * 8 * 4, w.bytes());
    }

    @Test
    void bigBirdItcAt4096WithBlockArithmetic() {
        String itc = "window 3 blocks global first 1 block, last 1 block random 3 blocks per row, seed 42";
        Pipeline.Result r = Pipeline.compileSource(
                SourceFile.ofString("bb.attn", "pattern bb { head_dim 64 block 64 " + itc + " }"));
        assertTrue(r.ok(), () -> r.diagnostics().render());
        MaskExpr bb = r.patterns().get(0).mask();
        int n = 4096;
        int nb = 64;
        TileMap m = TileAnalysis.analyze(bb, MaskBindings.of(n), 64, 64);
        for (TileMap.QueryTileRow row : m.rows()) {
            int qb = row.queryTile();
            if (qb == 0 || qb == nb - 1) {
                assertEquals(nb, row.size(), "a global block row attends every block");
            } else {
                long window = Math.min(nb - 1, qb + 1) - Math.max(0, qb - 1) + 1;
                long extraGlobals = (qb - 1 <= 0 ? 0 : 1) + (qb + 1 >= nb - 1 ? 0 : 1);
                assertEquals(window + extraGlobals + 3, row.size(), "block row " + qb);
            }
            for (TileClass t : row.classes()) {
                assertEquals(TileClass.FULL, t);
            }
        }
        long blocks = 2L * nb;
        for (int qb = 1; qb < nb - 1; qb++) {
            blocks += m.rows().get(qb).size();
        }
        assertEquals(blocks * 64 * 64, m.pairs());
        // Tiles of 128 hold two blocks: the same pairs, counted over coarser tiles; tiles of 48 cut blocks.
        assertEquals(
                m.pairs(),
                TileAnalysis.analyze(bb, MaskBindings.of(n), 128, 128).pairs());
        assertEquals(
                m.pairs(), TileAnalysis.analyze(bb, MaskBindings.of(n), 48, 80).pairs());
        assertEquals(m.pairs(), TileAnalysis.countPairs(bb, MaskBindings.of(n)));
    }

    @Test
    void runtimeGlobalsAtOneMillionTokens() {
        int n = 1_000_000;
        int w = 256;
        int[] g = {0, 17, 500_000, n - 1};
        MaskExpr lf = mask("window 256 global tokens [0] and from input");
        long t0 = System.nanoTime();
        TileMap m = TileAnalysis.analyze(lf, MaskBindings.of(n).withGlobals(g), 64, 64);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long want = (long) g.length * n;
        for (long i = 0; i < n; i++) {
            if (Arrays.binarySearch(g, (int) i) >= 0) {
                continue;
            }
            long lo = Math.max(0, i - w);
            long hi = Math.min(n - 1, i + w);
            long outside = 0;
            for (int t : g) {
                if (t < lo || t > hi) {
                    outside++;
                }
            }
            want += hi - lo + 1 + outside;
        }
        assertEquals(want, m.pairs());
        System.out.println("longformer + 4 runtime globals, n = 1e6, tiles 64: " + ms + " ms");
    }

    @Test
    void manyRuntimeGlobalsAtOneMillionTokens() {
        // 500 question tokens 2,000 apart: rows share the global columns, counted once per query tile.
        int n = 1_000_000;
        int w = 256;
        int[] g = new int[500];
        for (int k = 0; k < g.length; k++) {
            g[k] = 1000 + 2000 * k;
        }
        long t0 = System.nanoTime();
        TileMap m = TileAnalysis.analyze(
                mask("window 256 global from input"), MaskBindings.of(n).withGlobals(g), 64, 64);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long want = (long) g.length * n;
        for (long i = 0; i < n; i++) {
            boolean global = i >= 1000 && (i - 1000) % 2000 == 0 && (i - 1000) / 2000 < g.length;
            if (global) {
                continue;
            }
            long lo = Math.max(0, i - w);
            long hi = Math.min(n - 1, i + w);
            long inside = 0;
            for (long k = Math.max(0, (lo - 1000 + 1999) / 2000); k < g.length && 1000 + 2000 * k <= hi; k++) {
                inside++;
            }
            want += hi - lo + 1 + g.length - inside;
        }
        assertEquals(want, m.pairs());
        assertEquals(
                want,
                TileAnalysis.countPairs(
                        mask("window 256 global from input"), MaskBindings.of(n).withGlobals(g)));
        System.out.println("longformer + 500 runtime globals, n = 1e6, tiles 64: " + ms + " ms");
    }

    @Test
    void badTilesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> map("full", 4, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> map("full", 4, 1, -1));
    }

    private static String grid(TileMap m) {
        String s = TileMapPrinter.print(m);
        return s.substring(s.indexOf('\n') + 1);
    }
}
