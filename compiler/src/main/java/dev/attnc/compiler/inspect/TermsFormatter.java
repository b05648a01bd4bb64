package dev.attnc.compiler.inspect;

import dev.attnc.compiler.ir.GlobalPart;
import dev.attnc.compiler.ir.IrPrinter;
import dev.attnc.compiler.ir.MaskExpr;
import dev.attnc.compiler.ir.Param;
import java.util.ArrayList;
import java.util.List;

/**
 * A pattern's mask on one short line for {@code attnc check}, e.g.
 * {@code causal & (window(1019,0) | global(first 4))} or
 * {@code block-window(1,1) | global(first 1 block, last 1 block) | random(3, seed 42)}.
 * Window parameters are (before, after); {@link IrPrinter} has the full form.
 */
final class TermsFormatter {

    private TermsFormatter() {}

    static String format(MaskExpr e) {
        return e.accept(TOP);
    }

    private static final MaskExpr.Visitor<String> TOP = new Terms(false);
    private static final MaskExpr.Visitor<String> OPERAND = new Terms(true);

    /** {@code operand}: compound operands in parentheses, so that no reader needs the precedence table. */
    private record Terms(boolean operand) implements MaskExpr.Visitor<String> {
        @Override
        public String union(MaskExpr.Union u) {
            List<String> parts = new ArrayList<>();
            for (MaskExpr t : u.terms()) {
                parts.add(t.accept(OPERAND));
            }
            return wrap(String.join(" | ", parts));
        }

        @Override
        public String intersect(MaskExpr.Intersect i) {
            return wrap(i.left().accept(OPERAND) + " & " + i.right().accept(OPERAND));
        }

        @Override
        public String difference(MaskExpr.Difference d) {
            return wrap(d.left().accept(OPERAND) + " - " + d.right().accept(OPERAND));
        }

        @Override
        public String window(MaskExpr.Window w) {
            boolean dilated = !(w.dilation().isConstant() && w.dilation().base() == 1);
            return "window(" + param(w.before()) + "," + param(w.after())
                    + (dilated ? ", dilation " + param(w.dilation()) : "") + ")";
        }

        @Override
        public String blockWindow(MaskExpr.BlockWindow b) {
            return "block-window(" + param(b.before()) + "," + param(b.after()) + ")";
        }

        @Override
        public String causal(MaskExpr.Causal c) {
            return "causal";
        }

        @Override
        public String full(MaskExpr.Full f) {
            return "full";
        }

        @Override
        public String global(MaskExpr.Global g) {
            List<String> parts = new ArrayList<>();
            for (GlobalPart p : g.parts()) {
                parts.add(part(p));
            }
            return "global(" + String.join(", ", parts) + ")";
        }

        @Override
        public String randomBlocks(MaskExpr.RandomBlocks r) {
            return "random(" + param(r.count()) + ", seed " + r.seed() + ")";
        }

        @Override
        public String randomLayout(MaskExpr.RandomLayout r) {
            return "random(input)";
        }

        @Override
        public String segments(MaskExpr.Segments s) {
            return "segments(input)";
        }

        @Override
        public String tokenSet(MaskExpr.TokenSet t) {
            List<String> parts = new ArrayList<>();
            for (GlobalPart p : t.parts()) {
                parts.add(p instanceof GlobalPart.FromInput ? "prefix input" : part(p));
            }
            return t.word() + "(" + String.join(", ", parts) + ")";
        }

        private String wrap(String e) {
            return operand ? "(" + e + ")" : e;
        }
    }

    private static String part(GlobalPart p) {
        if (p instanceof GlobalPart.Tokens t) {
            return t.from() == t.to() ? Long.toString(t.from()) : t.from() + ".." + t.to();
        } else if (p instanceof GlobalPart.Blocks b) {
            return "blocks " + (b.from() == b.to() ? Long.toString(b.from()) : b.from() + ".." + b.to());
        } else if (p instanceof GlobalPart.First f) {
            return "first " + count(f.count(), f.block());
        } else if (p instanceof GlobalPart.Last l) {
            return "last " + count(l.count(), l.block());
        }
        return "input";
    }

    private static String count(Param c, int block) {
        if (block == 0) {
            return param(c);
        }
        boolean one = c.isConstant() && c.base() == 1;
        return param(c) + (one ? " block" : " blocks");
    }

    /**
     * A constant as itself; a varying value as its range and how it varies:
     * {@code 512..8192/layer}, {@code 1..2/head}, {@code 1..4/scoped} (scoped overrides).
     */
    static String param(Param p) {
        if (p.isConstant()) {
            return Integer.toString(p.base());
        }
        List<Integer> values = new ArrayList<>(
                !p.perLayer().isEmpty() ? p.perLayer() : !p.perHead().isEmpty() ? p.perHead() : List.of(p.base()));
        p.overrides().forEach(o -> values.add(o.value()));
        int min = values.stream().mapToInt(Integer::intValue).min().orElse(p.base());
        int max = values.stream().mapToInt(Integer::intValue).max().orElse(p.base());
        String how = !p.overrides().isEmpty() ? "/scoped" : !p.perLayer().isEmpty() ? "/layer" : "/head";
        return (min == max ? Integer.toString(min) : min + ".." + max) + how;
    }
}
