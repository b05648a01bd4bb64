package dev.attnc.compiler.frontend;

import dev.attnc.compiler.ast.Expr;
import dev.attnc.compiler.source.Span;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An expression as source text, for suggestions: terms as the author wrote them (the text
 * under their spans), operators with single spaces, and parentheses only where precedence
 * needs them ({@code &} binds tighter than {@code -}, which binds tighter than {@code |}, all
 * left-associative), so a term split over lines still comes out whole.
 */
final class ExprText {

    private ExprText() {}

    static String of(Expr e) {
        if (e instanceof Expr.Union u) {
            return binary(u.left(), " | ", u.right(), 0);
        } else if (e instanceof Expr.Difference d) {
            return binary(d.left(), " - ", d.right(), 1);
        } else if (e instanceof Expr.Intersect x) {
            return binary(x.left(), " & ", x.right(), 2);
        }
        Span s = e.span();
        return s.file().slice(s.line(), s.column(), s.length());
    }

    /** {@code terms} as one operand of {@code &}: a single term, or their union in parentheses. */
    static String operand(List<Expr> terms) {
        if (terms.size() == 1) {
            Expr t = terms.get(0);
            boolean bare = !(t instanceof Expr.Union || t instanceof Expr.Difference);
            return bare ? of(t) : "(" + of(t) + ")";
        }
        return "(" + terms.stream().map(ExprText::of).collect(Collectors.joining(" | ")) + ")";
    }

    /**
     * The span from the first term of {@code e} to its last when they are on one line (an
     * operator's own span is only the operator), else the first term's span.
     */
    static Span extent(Expr e) {
        return leaf(e, true).span().to(leaf(e, false).span());
    }

    private static Expr leaf(Expr e, boolean first) {
        if (e instanceof Expr.Union u) {
            return leaf(first ? u.left() : u.right(), first);
        } else if (e instanceof Expr.Difference d) {
            return leaf(first ? d.left() : d.right(), first);
        } else if (e instanceof Expr.Intersect x) {
            return leaf(first ? x.left() : x.right(), first);
        }
        return e;
    }

    private static String binary(Expr left, String op, Expr right, int level) {
        // Left-associative: the left operand needs parentheses only when it binds looser,
        // the right one also when it binds the same.
        return wrap(left, level(left) < level) + op + wrap(right, level(right) <= level);
    }

    private static String wrap(Expr e, boolean parens) {
        return parens ? "(" + of(e) + ")" : of(e);
    }

    private static int level(Expr e) {
        if (e instanceof Expr.Union) {
            return 0;
        } else if (e instanceof Expr.Difference) {
            return 1;
        } else if (e instanceof Expr.Intersect) {
            return 2;
        }
        return 3;
    }
}
