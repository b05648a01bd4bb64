package dev.attnc.compiler.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.interp.DenseMask;
import dev.attnc.compiler.interp.MaskInterpreter;
import dev.attnc.compiler.ir.MaskBindings;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.source.SourceFile;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The analysis (from the IR, with interval arithmetic) agrees with the interpreter (from the
 * AST, a dense mask) on random specs: the same count and class for every tile pair, at
 * lengths that include 1, 2, primes and non-multiples of tiles and blocks, with runtime
 * globals and explicit layouts.
 */
class AnalysisMatchesInterpreterProperties {

    private static final int HEADS = 3;
    private static final int BLOCK = 5;

    record Case(String spec, int n, int head, int[] globals, int[][] layout, int queryTile, int keyTile) {
        @Override
        public String toString() {
            return "n=" + n + " head=" + head + " tiles=" + queryTile + "x" + keyTile + " globals="
                    + java.util.Arrays.toString(globals) + "\n" + spec;
        }
    }

    @Property(tries = 400)
    void tileCountsAndClassesMatchTheOracle(@ForAll("cases") Case c) {
        Pipeline.Result r = Pipeline.compileSource(SourceFile.ofString("prop.attn", c.spec()));
        assertTrue(r.ok(), () -> r.diagnostics().render() + "\n" + c.spec());
        PatternIR p = r.pattern("p").orElseThrow();
        MaskBindings b = new MaskBindings(c.n(), 0, c.head(), c.globals(), c.layout());
        TileMap map = TileAnalysis.analyze(p.mask(), b, c.queryTile(), c.keyTile());
        DenseMask m = MaskInterpreter.evaluate(r.unit().orElseThrow(), "p",
                new MaskBindings(c.n(), 0, c.head(), c.globals(), c.layout()));
        assertEquals(m.count(), map.pairs(), "total pairs");
        for (int qt = 0; qt < map.queryTiles(); qt++) {
            TileMap.QueryTileRow row = map.rows().get(qt);
            int q0 = qt * c.queryTile();
            int q1 = Math.min(c.n(), q0 + c.queryTile());
            for (int kt = 0; kt < map.keyTiles(); kt++) {
                int k0 = kt * c.keyTile();
                int k1 = Math.min(c.n(), k0 + c.keyTile());
                long want = m.count(q0, q1, k0, k1);
                TileClass cls = want == 0 ? TileClass.EMPTY
                        : want == (long) (q1 - q0) * (k1 - k0) ? TileClass.FULL : TileClass.PARTIAL;
                assertEquals(want, row.countOf(kt), "count of tile " + qt + "," + kt);
                assertEquals(cls, row.classOf(kt), "class of tile " + qt + "," + kt);
            }
        }
        assertEquals(TileAnalysis.countPairs(p.mask(), b), map.pairs());
    }

    @Example
    void longformerBigBirdAndStreamingShapes() {
        for (String term : List.of("window 3 | global tokens [0, -1]", "window 3 blocks | global first 1 block, last 1 block"
                + " | random 2 blocks, seed 4", "causal & (window 4 before | global first 2 tokens)")) {
            for (int n : new int[] {1, 2, 3, 17, 61, 127}) {
                tileCountsAndClassesMatchTheOracle(new Case(spec(term, ""), n, 0, new int[0], null, 7, 16));
            }
        }
    }

    static String spec(String mask, String extra) {
        return "pattern p { head_dim 8 heads " + HEADS + " block " + BLOCK + " " + extra + "\n  " + mask + "\n}\n";
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<String> mask = expr(3);
        Arbitrary<String> override = Arbitraries.of("", "dilation 2 on heads 1", "dilation 3 on heads 0..1");
        Arbitrary<Integer> n = Arbitraries.oneOf(Arbitraries.of(1, 2, 3, 5, 17, 61, 64, 65, 127),
                Arbitraries.integers().between(1, 140));
        Arbitrary<int[]> globals = Arbitraries.integers().between(0, 150).array(int[].class).ofMaxSize(4);
        Arbitrary<int[][]> layout = Arbitraries.integers().between(-1, 30).array(int[].class).ofMaxSize(3)
                .array(int[][].class).ofMaxSize(30).injectNull(0.3);
        Arbitrary<Integer> tile = Arbitraries.of(1, 7, 16, 64);
        return Combinators.combine(mask, override, n, Arbitraries.integers().between(0, HEADS - 1), globals, layout, tile, tile)
                .as((m, o, len, head, g, l, qt, kt) -> {
                    boolean window = m.contains("window") && !m.contains("block") && countWindows(m) == 1;
                    String extra = window ? o : "";
                    return new Case(spec(m, extra), len, head, g, l, qt, kt);
                });
    }

    private static int countWindows(String m) {
        return m.split("window", -1).length - 1;
    }

    private Arbitrary<String> expr(int depth) {
        Arbitrary<String> leaf = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 6).flatMap(b -> Arbitraries.integers().between(0, 6)
                        .flatMap(a -> Arbitraries.integers().between(1, 3)
                                .map(d -> "window " + b + " before, " + a + " after dilation " + d))),
                Arbitraries.integers().between(0, 9).map(w -> "window " + w),
                Arbitraries.of("causal", "full", "global from input", "random from input"),
                Arbitraries.integers().between(-3, 8).flatMap(a -> Arbitraries.integers().between(a, a + 3)
                        .map(b2 -> "global tokens [" + a + ".." + (a < 0 && b2 >= 0 ? -1 : b2) + "]")),
                Arbitraries.of("global first 2 tokens, last 1 token", "global first 1 block", "global last 1 block",
                        "global blocks [1, -2]", "window 3 blocks", "window 1 block before", "window 2 blocks after"),
                Arbitraries.integers().between(1, 4).flatMap(c -> Arbitraries.integers().between(0, 99)
                        .map(s -> "random " + c + " blocks, seed " + s)));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<String> sub = expr(depth - 1);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, leaf),
                net.jqwik.api.Tuple.of(2, Combinators.combine(sub, Arbitraries.of("|", "&", "-"), sub)
                        .as((l, op, r) -> "(" + l + " " + op + " " + r + ")")));
    }
}
