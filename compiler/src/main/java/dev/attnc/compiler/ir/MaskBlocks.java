package dev.attnc.compiler.ir;

/**
 * The block sizes a mask's terms are written in, each found by one {@link MaskExpr.Fold} that
 * reads the terms left to right: the one the schedule aligns its query tile to, and the one
 * the random layout input is drawn in.
 */
public final class MaskBlocks {

    private MaskBlocks() {}

    /**
     * The block size of the mask's first block-level term (block window, random blocks, a
     * global {@code blocks} part), 0 when it has none.
     */
    public static int first(MaskExpr e) {
        return e.accept(FIRST);
    }

    /**
     * The block size of the mask's first {@code random blocks from input} term, 0 when it has
     * none: the query blocks of the layout input {@code [H, nQueryBlocks, r]} are of this size.
     */
    public static int layout(MaskExpr e) {
        return e.accept(LAYOUT);
    }

    /** Blocks of the left operand first; 0 means none. */
    private abstract static class FirstBlock extends MaskExpr.Fold<Integer> {
        @Override
        protected Integer term(MaskExpr t) {
            return 0;
        }

        @Override
        protected Integer combine(Integer left, Integer right) {
            return left > 0 ? left : right;
        }
    }

    private static final MaskExpr.Fold<Integer> FIRST = new FirstBlock() {
        @Override
        public Integer blockWindow(MaskExpr.BlockWindow w) {
            return w.block();
        }

        @Override
        public Integer randomBlocks(MaskExpr.RandomBlocks r) {
            return r.block();
        }

        @Override
        public Integer randomLayout(MaskExpr.RandomLayout r) {
            return r.block();
        }

        @Override
        public Integer global(MaskExpr.Global g) {
            for (GlobalPart part : g.parts()) {
                if (part instanceof GlobalPart.Blocks b) {
                    return b.block();
                }
            }
            return 0;
        }

        @Override
        public Integer tokenSet(MaskExpr.TokenSet t) {
            for (GlobalPart part : t.parts()) {
                if (part instanceof GlobalPart.Blocks b) {
                    return b.block();
                }
            }
            return 0;
        }
    };

    private static final MaskExpr.Fold<Integer> LAYOUT = new FirstBlock() {
        @Override
        public Integer randomLayout(MaskExpr.RandomLayout r) {
            return r.block();
        }
    };
}
