package dev.attnc.compiler.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.frontend.CompilationUnit;
import dev.attnc.compiler.ir.MaskBindings;
import dev.attnc.compiler.source.SourceFile;
import dev.attnc.runtime.RandomBlocks;
import org.junit.jupiter.api.Test;

/** The oracle on cases small enough to check by hand (each picture drawn in the test). */
class MaskInterpreterTest {

    static CompilationUnit unit(String spec) {
        Pipeline.Result r = Pipeline.compileSource(SourceFile.ofString("t.attn", spec));
        assertTrue(r.ok(), () -> r.diagnostics().render());
        return r.unit().orElseThrow();
    }

    static String picture(DenseMask m) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < m.n(); i++) {
            for (int j = 0; j < m.n(); j++) {
                sb.append(m.allowed(i, j) ? '#' : '.');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static DenseMask eval(String spec, String name, MaskBindings in) {
        return MaskInterpreter.evaluate(unit(spec), name, in);
    }

    @Test
    void longformerWindowWithAGlobalToken() {
        DenseMask m = eval("pattern p { head_dim 8 window 1 global tokens [0] }", "p", MaskBindings.of(6));
        assertEquals("""
                ######
                ###...
                ####..
                #.###.
                #..###
                #...##
                """, picture(m));
        assertEquals(6 + 3 + 4 + 4 + 4 + 3, m.count());
        assertEquals(MaskKind.GLOBAL.bit() | MaskKind.WINDOW.bit(), m.kinds(0, 1));
        assertEquals(MaskKind.WINDOW.bit(), m.kinds(2, 3));
    }

    @Test
    void dilationSkipsKeysAndCanVaryPerHead() {
        String spec = "pattern p { head_dim 8 heads 2 window 2 before dilation 1 dilation 2 on heads 1 }";
        assertEquals("""
                #......
                ##.....
                ###....
                .###...
                ..###..
                ...###.
                ....###
                """, picture(eval(spec, "p", MaskBindings.of(7))));
        assertEquals("""
                #......
                .#.....
                #.#....
                .#.#...
                #.#.#..
                .#.#.#.
                ..#.#.#
                """, picture(eval(spec, "p", new MaskBindings(7, 0, 1, null, null))));
    }

    @Test
    void setAlgebraAndNegativeGlobals() {
        DenseMask m = eval(
                "pattern p { head_dim 8 (causal & window 1) | global tokens [-1] - full & window 0 }",
                "p",
                MaskBindings.of(5));
        // (causal & window 1) | (global[-1] - (full & window 0)): the global row and column lose
        // their diagonal cell, which causal & window 1 puts back.
        assertEquals("""
                #...#
                ##..#
                .##.#
                ..###
                #####
                """, picture(m));
    }

    @Test
    void blockTermsUseWholeBlocksAndAShortLastBlock() {
        DenseMask m = eval(
                "pattern p { head_dim 8 block 2 window 1 block before global last 1 block }", "p", MaskBindings.of(5));
        // blocks {0,1} {2,3} {4}; last block = {4} is global.
        assertEquals("""
                ##..#
                ##..#
                #####
                #####
                #####
                """, picture(m));
    }

    @Test
    void bigbirdRandomBlocksFollowTheGeneratorAndAvoidWindowAndGlobals() {
        String spec = """
                pattern bb { head_dim 8 block 2 window 3 blocks global first 1 block, last 1 block
                             random 2 blocks per row, seed 9 }
                """;
        int n = 16;
        int nb = 8;
        DenseMask m = eval(spec, "bb", MaskBindings.of(n));
        for (int qb = 0; qb < nb; qb++) {
            int q = qb;
            boolean global = qb == 0 || qb == nb - 1;
            int[] want = global
                    ? new int[0]
                    : RandomBlocks.choose(9, 0, 0, qb, nb, 2, kb -> kb == 0 || kb == nb - 1 || Math.abs(kb - q) <= 1);
            assertEquals(global ? 0 : 2, want.length);
            for (int kb : want) {
                assertEquals(MaskKind.RANDOM.bit(), m.kinds(2 * qb, 2 * kb), "query block " + qb + " key block " + kb);
            }
            // A non-global query row attends its window blocks and the 2 global blocks (blocks 1
            // and 6 share one with the window) and 2 random blocks, 2 tokens each.
            if (!global) {
                int windowAndGlobal = qb == 1 || qb == nb - 2 ? 4 : 5;
                assertEquals(2 * (windowAndGlobal + 2), m.rowCount(2 * qb), "row count of query block " + qb);
            } else {
                assertEquals(n, m.rowCount(2 * qb));
            }
        }
    }

    @Test
    void runtimeGlobalsAndLayoutsComeFromTheInputs() {
        DenseMask g = eval(
                "pattern p { head_dim 8 global from input }",
                "p",
                MaskBindings.of(4).withGlobals(2, 9));
        assertEquals("""
                ..#.
                ..#.
                ####
                ..#.
                """, picture(g));
        DenseMask r = eval(
                "pattern p { head_dim 8 block 2 random from input }",
                "p",
                MaskBindings.of(5).withLayout(new int[][] {{2}, {0, 7}, {}}));
        assertEquals("""
                ....#
                ....#
                ##...
                ##...
                .....
                """, picture(r));
    }

    @Test
    void overridesAndReferencesResolveWithoutTheIr() {
        String spec = """
                pattern base { head_dim 8 layers 2 window 1 before window 2 before in layers 1 }
                pattern user { head_dim 8 base & causal }
                """;
        assertEquals(
                1 + 2 + 3 + 3, eval(spec, "user", MaskBindings.of(4).at(1, 0)).count());
        assertEquals(
                1 + 2 + 2 + 2, eval(spec, "user", MaskBindings.of(4).at(0, 0)).count());
    }

    @Test
    void additivePatternsHaveNoMask() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> eval("pattern f { head_dim 8 additive }", "f", MaskBindings.of(4)));
        assertEquals("pattern 'f' is additive attention and has no mask", e.getMessage());
    }

    @Test
    void lengthOneWorks() {
        assertEquals(
                1,
                eval("pattern p { head_dim 8 window 3 dilation 2 }", "p", MaskBindings.of(1))
                        .count());
        assertEquals(
                0,
                eval("pattern p { head_dim 8 window 3 - full }", "p", MaskBindings.of(1))
                        .count());
    }

    @Test
    void segmentsKeepPairsWithinADocumentEvenAcrossRuns() {
        // ids 4 4 9 9 9 4: tokens 0, 1 and 5 are one document (the id recurs after a gap).
        MaskBindings in = MaskBindings.of(6).withSegments(4, 4, 9, 9, 9, 4);
        assertEquals("""
                ##...#
                ##...#
                ..###.
                ..###.
                ..###.
                ##...#
                """, picture(eval("pattern p { head_dim 8 segments from input }", "p", in)));
        DenseMask causal = eval("pattern p { head_dim 8 causal & segments from input }", "p", in);
        assertEquals("""
                #.....
                ##....
                ..#...
                ..##..
                ..###.
                ##...#
                """, picture(causal));
        assertEquals(MaskKind.CAUSAL.bit() | MaskKind.SEGMENTS.bit(), causal.kinds(5, 0));
    }

    @Test
    void segmentsCombineWithWindowsGlobalsAndDifferences() {
        MaskBindings in = MaskBindings.of(6).withSegments(0, 0, 0, 1, 1, 2);
        String spec = """
                pattern p { head_dim 8  (window 1 | global tokens [0]) & segments from input }
                pattern cross { head_dim 8  causal - segments from input }
                """;
        assertEquals("""
                ###...
                ###...
                ###...
                ...##.
                ...##.
                .....#
                """, picture(eval(spec, "p", in)));
        assertEquals("""
                ......
                ......
                ......
                ###...
                ###...
                #####.
                """, picture(eval(spec, "cross", in)));
    }

    @Test
    void segmentsWithoutIdsAreOneDocumentAndOneTokenSegmentsAttendThemselves() {
        String spec = "pattern p { head_dim 8 causal & segments from input }";
        assertEquals(10, eval(spec, "p", MaskBindings.of(4)).count());
        DenseMask own = eval(spec, "p", MaskBindings.of(4).withSegments(-3, 7, 0, 2));
        assertEquals("""
                #...
                .#..
                ..#.
                ...#
                """, picture(own));
        assertEquals(1, eval(spec, "p", MaskBindings.of(1).withSegments(5)).count());
    }
}
