package dev.attnc.compiler.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.interp.DenseMask;
import dev.attnc.compiler.interp.MaskInterpreter;
import dev.attnc.compiler.ir.MaskBindings;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.source.SourceFile;
import dev.attnc.runtime.testing.Gen;
import dev.attnc.runtime.testing.SeededTries;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The analysis (from the IR, with interval arithmetic) agrees with the interpreter (from the
 * AST, a dense mask) on random specs: the same count and class for every tile pair, at
 * lengths that include 1, 2, primes and non-multiples of tiles and blocks, with runtime
 * globals and explicit layouts.
 */
class AnalysisMatchesInterpreterProperties {

    private static final int HEADS = 3;
    private static final int BLOCK = 5;
    private static final Integer[] TILES = {1, 7, 16, 64};

    record Case(String spec, int n, int head, int[] globals, int[][] layout, int queryTile, int keyTile) {
        @Override
        public String toString() {
            return "n=" + n + " head=" + head + " tiles=" + queryTile + "x" + keyTile + " globals="
                    + Arrays.toString(globals) + " layout=" + Arrays.deepToString(layout) + "\n" + spec;
        }
    }

    @TestFactory
    Stream<DynamicTest> tileCountsAndClassesMatchTheOracle() {
        return SeededTries.forAll(
                400, AnalysisMatchesInterpreterProperties::draw, AnalysisMatchesInterpreterProperties::tilesMatch);
    }

    static void tilesMatch(Case c) {
        Pipeline.Result r = Pipeline.compileSource(SourceFile.ofString("prop.attn", c.spec()));
        assertTrue(r.ok(), () -> r.diagnostics().render() + "\n" + c.spec());
        PatternIR p = r.pattern("p").orElseThrow();
        MaskBindings b = new MaskBindings(c.n(), 0, c.head(), c.globals(), c.layout());
        TileMap map = TileAnalysis.analyze(p.mask(), b, c.queryTile(), c.keyTile());
        DenseMask m = MaskInterpreter.evaluate(
                r.unit().orElseThrow(), "p", new MaskBindings(c.n(), 0, c.head(), c.globals(), c.layout()));
        assertEquals(m.count(), map.pairs(), "total pairs");
        for (int qt = 0; qt < map.queryTiles(); qt++) {
            TileMap.QueryTileRow row = map.rows().get(qt);
            int q0 = qt * c.queryTile();
            int q1 = Math.min(c.n(), q0 + c.queryTile());
            for (int kt = 0; kt < map.keyTiles(); kt++) {
                int k0 = kt * c.keyTile();
                int k1 = Math.min(c.n(), k0 + c.keyTile());
                long want = m.count(q0, q1, k0, k1);
                TileClass cls = want == 0
                        ? TileClass.EMPTY
                        : want == (long) (q1 - q0) * (k1 - k0) ? TileClass.FULL : TileClass.PARTIAL;
                assertEquals(want, row.countOf(kt), "count of tile " + qt + "," + kt);
                assertEquals(cls, row.classOf(kt), "class of tile " + qt + "," + kt);
            }
        }
        assertEquals(TileAnalysis.countPairs(p.mask(), b), map.pairs());
    }

    @Test
    void longformerBigBirdAndStreamingShapes() {
        for (String term : List.of(
                "window 3 | global tokens [0, -1]",
                "window 3 blocks | global first 1 block, last 1 block" + " | random 2 blocks, seed 4",
                "causal & (window 4 before | global first 2 tokens)")) {
            for (int n : new int[] {1, 2, 3, 17, 61, 127}) {
                tilesMatch(new Case(spec(term, ""), n, 0, new int[0], null, 7, 16));
            }
        }
    }

    static String spec(String mask, String extra) {
        return "pattern p { head_dim 8 heads " + HEADS + " block " + BLOCK + " " + extra + "\n  " + mask + "\n}\n";
    }

    /**
     * A random case: a mask of up to three levels of set operators, a window override when
     * the mask has exactly one token window, lengths from a list of edge lengths half the time,
     * runtime globals and, seven times in ten, an explicit random layout.
     */
    static Case draw(Gen g) {
        String m = expr(g, 3);
        String o = g.oneOf("", "dilation 2 on heads 1", "dilation 3 on heads 0..1");
        int len = g.chance(0.5) ? g.oneOf(1, 2, 3, 5, 17, 61, 64, 65, 127) : g.intBetween(1, 140);
        int head = g.intBetween(0, HEADS - 1);
        int[] globals = g.ints(4, 0, 150);
        int[][] layout = null;
        if (!g.chance(0.3)) {
            layout = new int[g.intBetween(0, 30)][];
            for (int x = 0; x < layout.length; x++) {
                layout[x] = g.ints(3, -1, 30);
            }
        }
        int queryTile = g.oneOf(TILES);
        int keyTile = g.oneOf(TILES);
        boolean window = m.contains("window") && !m.contains("block") && countWindows(m) == 1;
        String extra = window ? o : "";
        return new Case(spec(m, extra), len, head, globals, layout, queryTile, keyTile);
    }

    private static int countWindows(String m) {
        return m.split("window", -1).length - 1;
    }

    /** A leaf three times in five (always at depth 0), else two subexpressions under one operator. */
    private static String expr(Gen g, int depth) {
        if (depth == 0 || g.choose(5) < 3) {
            return leaf(g);
        }
        String l = expr(g, depth - 1);
        String op = g.oneOf("|", "&", "-");
        String r = expr(g, depth - 1);
        return "(" + l + " " + op + " " + r + ")";
    }

    private static String leaf(Gen g) {
        return switch (g.choose(6)) {
            case 0 -> {
                int b = g.intBetween(0, 6);
                int a = g.intBetween(0, 6);
                yield "window " + b + " before, " + a + " after dilation " + g.intBetween(1, 3);
            }
            case 1 -> "window " + g.intBetween(0, 9);
            case 2 -> g.oneOf("causal", "full", "global from input", "random from input");
            case 3 -> {
                int a = g.intBetween(-3, 8);
                int b = g.intBetween(a, a + 3);
                yield "global tokens [" + a + ".." + (a < 0 && b >= 0 ? -1 : b) + "]";
            }
            case 4 ->
                g.oneOf(
                        "global first 2 tokens, last 1 token",
                        "global first 1 block",
                        "global last 1 block",
                        "global blocks [1, -2]",
                        "window 3 blocks",
                        "window 1 block before",
                        "window 2 blocks after");
            default -> {
                int c = g.intBetween(1, 4);
                yield "random " + c + " blocks, seed " + g.intBetween(0, 99);
            }
        };
    }
}
