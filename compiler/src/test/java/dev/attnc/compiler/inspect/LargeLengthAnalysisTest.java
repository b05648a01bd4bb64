package dev.attnc.compiler.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.ir.MaskBindings;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.source.SourceFile;
import org.junit.jupiter.api.Test;

/**
 * The analysis at n = 1,000,000 (no n×n mask anywhere), against closed forms. These
 * tests take seconds; they assert counts, never timings (JMH measures speed).
 */
class LargeLengthAnalysisTest {

    private static PatternIR compile(String spec) {
        Pipeline.Result r = Pipeline.compileSource(SourceFile.ofString("big.attn", spec));
        assertTrue(r.ok(), () -> r.diagnostics().render());
        return r.patterns().get(0);
    }

    /** Keys of a symmetric window w around each row, clipped at both ends. */
    private static long windowPairs(long n, long w) {
        long full = n * (2 * w + 1);
        long clippedPerEnd = w * (w + 1) / 2; // keys missing at each end: 1 + 2 + … + w
        return full - 2 * clippedPerEnd;
    }

    @Test
    void longformerBaseAtOneMillionTokens() {
        PatternIR p = compile("pattern lf { head_dim 64 window 256 global tokens [0] }");
        long n = 1_000_000;
        long w = 256;
        TileMap map = TileAnalysis.analyze(p.mask(), MaskBindings.of((int) n), 64, 64);
        // window pairs, plus row 0 (all keys) and column 0, minus what the window already has.
        long want = windowPairs(n, w) + (n - (w + 1)) + (n - (w + 1));
        assertEquals(want, map.pairs());
        assertEquals(4L * 64 * want, WorkEstimate.of(map, 64).flops());
        TileMap.QueryTileRow middle = map.rows().get(5000);
        assertEquals(TileClass.PARTIAL, middle.classOf(0), "global column tile");
        assertEquals(TileClass.FULL, middle.classOf(5000), "diagonal tile");
        assertEquals(TileClass.EMPTY, middle.classOf(4000));
    }

    @Test
    void bigbirdItcAtOneMillionTokens() {
        PatternIR p = compile("pattern bb { head_dim 64 block 64 window 3 blocks "
                + "global first 1 block, last 1 block random 3 blocks per row, seed 42 }");
        int n = 1_000_000; // 15,625 blocks of 64
        long nb = 15_625;
        TileMap map = TileAnalysis.analyze(p.mask(), MaskBindings.of(n), 64, 64);
        // Global rows: 2 blocks × all keys. Other rows: window ∪ globals ∪ 3 random blocks.
        long blockPairs = 64L * 64;
        long global = 2 * 64L * n;
        long middle = 0;
        for (long qb = 1; qb < nb - 1; qb++) {
            long window = Math.min(nb - 1, qb + 1) - Math.max(0, qb - 1) + 1;
            long extraGlobals = (qb - 1 <= 0 ? 0 : 1) + (qb + 1 >= nb - 1 ? 0 : 1);
            middle += (window + extraGlobals + 3) * blockPairs;
        }
        assertEquals(global + middle, map.pairs());
        assertEquals(0, map.tiles(TileClass.PARTIAL), "block-aligned BigBird has only full tiles");
    }

    @Test
    void dilatedWindowCountsOnlyTheKeysItAttends() {
        PatternIR p = compile("pattern d { head_dim 64 window 128 dilation 4 }");
        int n = 1_000_000;
        long want = 0;
        for (long i = 0; i < n; i++) {
            want += Math.min(128, i / 4) + Math.min(128, (n - 1 - i) / 4) + 1;
        }
        assertEquals(want, TileAnalysis.countPairs(p.mask(), MaskBindings.of(n)));
    }
}
