package dev.attnc.compiler.frontend;

import dev.attnc.compiler.ir.GlobalPart;
import dev.attnc.compiler.ir.MaskExpr;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Gives the random terms a declaration writes itself ({@code own}) the block-level windows
 * and globals of that declaration's whole mask (including the patterns it uses). Random
 * terms that come from a used pattern keep the exclusions of the pattern that declared
 * them, so a named pattern means the same mask wherever it is reused. Part of
 * {@link IrBuilder}.
 */
final class RandomExclusions {

    private RandomExclusions() {}

    /** {@code m} with each random term of {@code own} (by identity) given the exclusions of its block size. */
    static MaskExpr apply(MaskExpr m, Set<MaskExpr> own) {
        if (own.isEmpty()) {
            return m;
        }
        BlockTerms found = new BlockTerms();
        m.accept(found);
        return m.accept(new Rewrite(found.windows, found.globals, own));
    }

    /**
     * The block windows and block-level global parts of a mask, each once, in the order met;
     * none from the right operand of a difference (keys taken away are not attended).
     */
    private static final class BlockTerms extends MaskExpr.Fold<Void> {
        private final List<MaskExpr.BlockWindow> windows = new ArrayList<>();
        private final List<GlobalPart> globals = new ArrayList<>();

        @Override
        protected Void term(MaskExpr t) {
            return null;
        }

        @Override
        protected Void combine(Void left, Void right) {
            return null;
        }

        @Override
        public Void difference(MaskExpr.Difference d) {
            return d.left().accept(this);
        }

        @Override
        public Void blockWindow(MaskExpr.BlockWindow b) {
            if (!windows.contains(b)) {
                windows.add(b);
            }
            return null;
        }

        @Override
        public Void global(MaskExpr.Global g) {
            g.parts().stream()
                    .filter(GlobalPart::isBlockLevel)
                    .filter(p -> !globals.contains(p))
                    .forEach(globals::add);
            return null;
        }
    }

    /** The mask rebuilt, the random terms of {@code own} with the exclusions of their block size. */
    private record Rewrite(List<MaskExpr.BlockWindow> windows, List<GlobalPart> globals, Set<MaskExpr> own)
            implements MaskExpr.Visitor<MaskExpr> {

        @Override
        public MaskExpr union(MaskExpr.Union u) {
            return new MaskExpr.Union(
                    u.terms().stream().map(t -> t.accept(this)).toList());
        }

        @Override
        public MaskExpr intersect(MaskExpr.Intersect i) {
            return new MaskExpr.Intersect(i.left().accept(this), i.right().accept(this));
        }

        @Override
        public MaskExpr difference(MaskExpr.Difference d) {
            return new MaskExpr.Difference(d.left().accept(this), d.right().accept(this));
        }

        @Override
        public MaskExpr randomBlocks(MaskExpr.RandomBlocks r) {
            if (!own.contains(r)) {
                return r;
            }
            List<MaskExpr.BlockWindow> ws =
                    windows.stream().filter(w -> w.block() == r.block()).toList();
            List<GlobalPart> gs =
                    globals.stream().filter(g -> blockOf(g) == r.block()).toList();
            return new MaskExpr.RandomBlocks(r.block(), r.count(), r.seed(), ws, gs);
        }

        @Override
        public MaskExpr window(MaskExpr.Window w) {
            return w;
        }

        @Override
        public MaskExpr blockWindow(MaskExpr.BlockWindow w) {
            return w;
        }

        @Override
        public MaskExpr causal(MaskExpr.Causal c) {
            return c;
        }

        @Override
        public MaskExpr full(MaskExpr.Full f) {
            return f;
        }

        @Override
        public MaskExpr global(MaskExpr.Global g) {
            return g;
        }

        @Override
        public MaskExpr randomLayout(MaskExpr.RandomLayout r) {
            return r;
        }

        @Override
        public MaskExpr segments(MaskExpr.Segments s) {
            return s;
        }

        @Override
        public MaskExpr tokenSet(MaskExpr.TokenSet t) {
            return t;
        }
    }

    private static int blockOf(GlobalPart g) {
        if (g instanceof GlobalPart.Blocks b) {
            return b.block();
        } else if (g instanceof GlobalPart.First f) {
            return f.block();
        } else if (g instanceof GlobalPart.Last l) {
            return l.block();
        }
        return 0;
    }
}
