package dev.attnc.compiler.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The block-size folds over the pattern IR, and the fold's operator order. */
class MaskBlocksTest {

    private static final MaskExpr WINDOW = new MaskExpr.Window(Param.of(4), Param.of(4), Param.of(1));
    private static final MaskExpr BLOCK_WINDOW = new MaskExpr.BlockWindow(32, Param.of(1), Param.of(1));
    private static final MaskExpr LAYOUT_16 = new MaskExpr.RandomLayout(16);
    private static final MaskExpr LAYOUT_8 = new MaskExpr.RandomLayout(8);
    private static final MaskExpr GLOBAL_BLOCKS =
            new MaskExpr.Global(List.of(new GlobalPart.Tokens(0, 0), new GlobalPart.Blocks(48, 0, 1)));

    @Test
    void firstIsTheLeftmostBlockTerm() {
        assertEquals(0, MaskBlocks.first(new MaskExpr.Union(List.of(WINDOW, new MaskExpr.Causal()))));
        assertEquals(32, MaskBlocks.first(new MaskExpr.Union(List.of(WINDOW, BLOCK_WINDOW, LAYOUT_16))));
        assertEquals(16, MaskBlocks.first(new MaskExpr.Intersect(LAYOUT_16, BLOCK_WINDOW)));
        assertEquals(48, MaskBlocks.first(new MaskExpr.Difference(GLOBAL_BLOCKS, BLOCK_WINDOW)));
        assertEquals(32, MaskBlocks.first(new MaskExpr.Difference(WINDOW, BLOCK_WINDOW)));
        assertEquals(0, MaskBlocks.first(new MaskExpr.Global(List.of(new GlobalPart.First(8, Param.of(1))))));
    }

    @Test
    void layoutIsTheLeftmostRandomFromInput() {
        assertEquals(0, MaskBlocks.layout(new MaskExpr.Union(List.of(WINDOW, BLOCK_WINDOW))));
        assertEquals(16, MaskBlocks.layout(new MaskExpr.Union(List.of(BLOCK_WINDOW, LAYOUT_16, LAYOUT_8))));
        assertEquals(
                8, MaskBlocks.layout(new MaskExpr.Difference(new MaskExpr.Intersect(WINDOW, LAYOUT_8), LAYOUT_16)));
    }

    @Test
    void aFoldCombinesOperandsLeftToRight() {
        MaskExpr.Fold<String> names = new MaskExpr.Fold<>() {
            @Override
            protected String term(MaskExpr t) {
                return t.getClass().getSimpleName();
            }

            @Override
            protected String combine(String left, String right) {
                return "[" + left + " " + right + "]";
            }
        };
        assertEquals(
                "[[[Window BlockWindow] Causal] [Full RandomLayout]]",
                new MaskExpr.Union(List.of(
                                WINDOW,
                                BLOCK_WINDOW,
                                new MaskExpr.Causal(),
                                new MaskExpr.Difference(new MaskExpr.Full(), LAYOUT_16)))
                        .accept(names));
    }
}
