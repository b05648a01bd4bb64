package dev.attnc.compiler.ir;

import dev.attnc.runtime.cuda.CudaDtype;
import dev.attnc.runtime.kernel.ScoreMods;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Prints the pattern IR as indented s-expressions, one term per line, e.g.
 * <pre>
 * pattern longformer_base  ; specs/longformer.attn:12:9
 *   head_dim 64  heads 12  scale 0.125  dtype fp32
 *   (union
 *     (window before=256 after=256 dilation=1{heads 8..11: 2})
 *     (global (tokens 0..0) (input)))
 * </pre>
 * The output is deterministic, so tests can compare it as text.
 */
public final class IrPrinter {

    private IrPrinter() {}

    public static String print(PatternIR p) {
        StringBuilder sb = new StringBuilder();
        sb.append("pattern ").append(p.name()).append("  ; ").append(p.origin()).append('\n');
        sb.append("  head_dim ").append(p.headDim());
        p.heads().ifPresent(h -> sb.append("  heads ").append(h));
        p.kvHeads().ifPresent(g -> sb.append("  kv_heads ").append(g));
        p.layers().ifPresent(l -> sb.append("  layers ").append(l));
        sb.append("  scale ")
                .append(p.scale().isPresent() ? fmt(p.scale().getAsDouble()) : "1/sqrt(" + p.headDim() + ")");
        sb.append("  dtype ")
                .append(p.dtypes().stream().map(CudaDtype::spelling).collect(Collectors.joining(",")));
        sb.append('\n');
        if (!p.scoreMods().isNone()) {
            sb.append("  scores ").append(scoreMods(p.scoreMods())).append('\n');
        }
        if (p.attention() instanceof Attention.Additive a) {
            sb.append("  (additive value=")
                    .append(a.sharedValue() ? "shared" : "separate")
                    .append(" pooling=")
                    .append(a.poolingMatrix() ? "matrix" : "vector")
                    .append(")\n");
        } else {
            expr(sb, p.mask(), 1);
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * A pattern's score modifiers in the order they apply, e.g. {@code scale [0.125,0.25]/head
     * softcap 50 alibi slopes=bloom(H)}; empty for {@link ScoreMods#NONE}.
     */
    public static String scoreMods(ScoreMods m) {
        StringBuilder sb = new StringBuilder();
        double[] scales = m.headScales();
        if (scales != null) {
            sb.append("scale ").append(list(scales)).append("/head");
        }
        if (m.softcap() != 0) {
            sb.append(sb.length() > 0 ? "  " : "").append("softcap ").append(fmt(m.softcap()));
        }
        if (m.alibi()) {
            double[] slopes = m.slopes();
            sb.append(sb.length() > 0 ? "  " : "")
                    .append("alibi slopes=")
                    .append(slopes == null ? "bloom(H)" : list(slopes) + "/head");
        }
        return sb.toString();
    }

    private static String list(double[] values) {
        StringBuilder sb = new StringBuilder("[");
        for (int x = 0; x < values.length; x++) {
            sb.append(x > 0 ? "," : "").append(fmt(values[x]));
        }
        return sb.append(']').toString();
    }

    /** One expression, on as many lines as it has terms. */
    public static String print(MaskExpr e) {
        StringBuilder sb = new StringBuilder();
        expr(sb, e, 0);
        return sb.toString();
    }

    private static void expr(StringBuilder sb, MaskExpr e, int depth) {
        e.accept(new Lines(sb, depth));
    }

    /**
     * Appends an expression at {@code depth}: an operator on its own line, its operands one
     * level deeper, a primitive term as {@link #leaf}. A walk: it folds to nothing.
     */
    private static final class Lines extends MaskExpr.Fold<Void> {
        private final StringBuilder sb;
        private final int depth;

        Lines(StringBuilder sb, int depth) {
            this.sb = sb;
            this.depth = depth;
        }

        @Override
        protected Void term(MaskExpr t) {
            sb.append("  ".repeat(depth)).append(leaf(t));
            return null;
        }

        @Override
        protected Void combine(Void left, Void right) {
            return null;
        }

        @Override
        public Void union(MaskExpr.Union u) {
            sb.append("  ".repeat(depth)).append("(union");
            for (MaskExpr t : u.terms()) {
                sb.append('\n');
                expr(sb, t, depth + 1);
            }
            sb.append(')');
            return null;
        }

        @Override
        public Void intersect(MaskExpr.Intersect i) {
            return binary("intersect", i.left(), i.right());
        }

        @Override
        public Void difference(MaskExpr.Difference d) {
            return binary("difference", d.left(), d.right());
        }

        private Void binary(String op, MaskExpr l, MaskExpr r) {
            sb.append("  ".repeat(depth)).append('(').append(op).append('\n');
            expr(sb, l, depth + 1);
            sb.append('\n');
            expr(sb, r, depth + 1);
            sb.append(')');
            return null;
        }
    }

    /** A primitive term on one line. */
    public static String leaf(MaskExpr e) {
        return e.accept(LEAF);
    }

    private static final MaskExpr.Visitor<String> LEAF = new MaskExpr.Visitor<>() {
        @Override
        public String window(MaskExpr.Window w) {
            return "(window before=" + w.before() + " after=" + w.after() + " dilation=" + w.dilation() + ")";
        }

        @Override
        public String blockWindow(MaskExpr.BlockWindow b) {
            return "(block-window block=" + b.block() + " before=" + b.before() + " after=" + b.after() + ")";
        }

        @Override
        public String causal(MaskExpr.Causal c) {
            return "(causal)";
        }

        @Override
        public String full(MaskExpr.Full f) {
            return "(full)";
        }

        @Override
        public String global(MaskExpr.Global g) {
            return "(global" + g.parts().stream().map(p -> " " + part(p)).collect(Collectors.joining()) + ")";
        }

        @Override
        public String randomBlocks(MaskExpr.RandomBlocks r) {
            StringBuilder ex = new StringBuilder();
            r.excludeWindows()
                    .forEach(w -> ex.append(ex.length() > 0 ? " " : "").append(leaf(w)));
            r.excludeGlobals()
                    .forEach(g -> ex.append(ex.length() > 0 ? " " : "").append(part(g)));
            return "(random block=" + r.block() + " count=" + r.count() + " seed=" + r.seed() + " exclude=[" + ex
                    + "])";
        }

        @Override
        public String randomLayout(MaskExpr.RandomLayout r) {
            return "(random-layout block=" + r.block() + " from=input)";
        }

        @Override
        public String segments(MaskExpr.Segments s) {
            return "(segments from=input)";
        }

        @Override
        public String tokenSet(MaskExpr.TokenSet t) {
            return "(" + t.word()
                    + t.parts().stream().map(p -> " " + setPart(p)).collect(Collectors.joining()) + ")";
        }

        @Override
        public String union(MaskExpr.Union u) {
            throw notALeaf(u);
        }

        @Override
        public String intersect(MaskExpr.Intersect x) {
            throw notALeaf(x);
        }

        @Override
        public String difference(MaskExpr.Difference x) {
            throw notALeaf(x);
        }

        private IllegalArgumentException notALeaf(MaskExpr e) {
            return new IllegalArgumentException("not a leaf: " + e);
        }
    };

    public static String part(GlobalPart p) {
        if (p instanceof GlobalPart.Tokens t) {
            return "(tokens " + range(t.from(), t.to()) + ")";
        } else if (p instanceof GlobalPart.Blocks b) {
            return "(blocks " + range(b.from(), b.to()) + " block=" + b.block() + ")";
        } else if (p instanceof GlobalPart.First f) {
            return "(first " + f.count() + (f.block() > 0 ? " block=" + f.block() : " tokens") + ")";
        } else if (p instanceof GlobalPart.Last l) {
            return "(last " + l.count() + (l.block() > 0 ? " block=" + l.block() : " tokens") + ")";
        }
        return "(input)";
    }

    /** A part of a keys or queries set: a global part, {@code (prefix input)} for the run-time prefix. */
    private static String setPart(GlobalPart p) {
        return p instanceof GlobalPart.FromInput ? "(prefix input)" : part(p);
    }

    private static String range(long from, long to) {
        return from + ".." + to;
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%s", d);
    }
}
