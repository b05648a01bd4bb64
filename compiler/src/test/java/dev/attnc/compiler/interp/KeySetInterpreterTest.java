package dev.attnc.compiler.interp;

import static dev.attnc.compiler.interp.MaskInterpreterTest.eval;
import static dev.attnc.compiler.interp.MaskInterpreterTest.picture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.attnc.compiler.ir.MaskBindings;
import org.junit.jupiter.api.Test;

/**
 * The oracle's reading of {@code keys S} ({@code (i, j)} with {@code j ∈ S}) and
 * {@code queries S} ({@code (i, j)} with {@code i ∈ S}), on cases drawn by hand.
 */
class KeySetInterpreterTest {

    @Test
    void keysAreColumnsAndQueriesAreRows() {
        String spec = "pattern k { head_dim 8  keys [1, -1] }  pattern q { head_dim 8  queries [0..1] }";
        assertEquals("""
                .#...#
                .#...#
                .#...#
                .#...#
                .#...#
                .#...#
                """, picture(eval(spec, "k", MaskBindings.of(6))));
        assertEquals("""
                ######
                ######
                ......
                ......
                ......
                ......
                """, picture(eval(spec, "q", MaskBindings.of(6))));
    }

    @Test
    void prefixLmIsBidirectionalOverThePrefixAndCausalAfter() {
        String spec = "pattern p { head_dim 8  causal | keys [0..2] & queries [0..2] }";
        DenseMask m = eval(spec, "p", MaskBindings.of(6));
        assertEquals("""
                ###...
                ###...
                ###...
                ####..
                #####.
                ######
                """, picture(m));
        for (int i = 0; i < 6; i++) {
            assertFalse(m.isGlobalRow(i), "a queries set's rows are not global rows");
        }
    }

    @Test
    void theRunTimePrefixIsTheFirstPrefixLengthTokens() {
        String spec = "pattern p { head_dim 8  causal | keys from input & queries from input }";
        String causal = """
                #....
                ##...
                ###..
                ####.
                #####
                """;
        assertEquals(causal, picture(eval(spec, "p", MaskBindings.of(5))), "no prefix given: the sets are empty");
        assertEquals(causal, picture(eval(spec, "p", MaskBindings.of(5).withPrefix(0))));
        assertEquals(causal, picture(eval(spec, "p", MaskBindings.of(5).withPrefix(1))));
        assertEquals("""
                ###..
                ###..
                ###..
                ####.
                #####
                """, picture(eval(spec, "p", MaskBindings.of(5).withPrefix(3))));
        assertEquals(
                "#####\n".repeat(5), picture(eval(spec, "p", MaskBindings.of(5).withPrefix(5))));
    }

    @Test
    void sinksAreKeysEveryQueryAttendsUpToItself() {
        String spec = "pattern s { head_dim 8  causal & (window 1 before | keys [0..1]) }";
        assertEquals("""
                #......
                ##.....
                ###....
                ####...
                ##.##..
                ##..##.
                ##...##
                """, picture(eval(spec, "s", MaskBindings.of(7))));
    }

    @Test
    void firstLastAndBlockItemsClampToTheSequence() {
        String spec = "pattern p { head_dim 8  block 2  keys first 1 block, last 5 tokens }"
                + "  pattern q { head_dim 8  block 2  queries blocks [-1], [9] }";
        assertEquals("###\n".repeat(3), picture(eval(spec, "p", MaskBindings.of(3))));
        assertEquals("......\n".repeat(4) + "######\n".repeat(2), picture(eval(spec, "q", MaskBindings.of(6))));
    }

    @Test
    void keysAndQueriesCombineWithTheOtherTerms() {
        String spec = "pattern p { head_dim 8  window 1 - keys [2] | queries [-1] & causal }";
        assertEquals("""
                ##....
                ##....
                .#.#..
                ...##.
                ...###
                ######
                """, picture(eval(spec, "p", MaskBindings.of(6))));
        DenseMask m = eval("pattern p { head_dim 8  queries [0] & keys [1] }", "p", MaskBindings.of(3));
        assertEquals(MaskKind.TOKEN_SET.bit(), m.kinds(0, 1));
        assertEquals(1, m.count());
    }
}
