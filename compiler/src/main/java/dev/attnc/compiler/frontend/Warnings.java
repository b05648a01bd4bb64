package dev.attnc.compiler.frontend;

import dev.attnc.compiler.ast.Expr;
import dev.attnc.compiler.ast.Extent;
import dev.attnc.compiler.ast.PatternDecl;
import dev.attnc.compiler.ast.Value;
import dev.attnc.compiler.diag.DiagCode;
import dev.attnc.compiler.diag.Diagnostics;
import dev.attnc.compiler.source.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Warnings for legal but suspicious masks, from the pattern's top-level union (its
 * statements and the {@code |} operands in them):
 * <ul>
 *   <li>W102, a term that adds nothing to the union: the same term twice, any term beside
 *       {@code full}, a constant token window inside a wider one with the same dilation
 *       (only in patterns without scoped overrides, where windows are constant);</li>
 *   <li>W104, a pattern that attends nothing: every top-level term is {@code X - X}.</li>
 * </ul>
 * Terms are compared by their text without positions, so {@code window 8} and
 * {@code window 8 each side} count as different spellings (no warning).
 */
final class Warnings {

    /** Window containment is checked pairwise among at most this many windows. */
    private static final int MAX_WINDOW_PAIRS = 256;

    private Warnings() {}

    static void check(PatternDecl p, Diagnostics diags) {
        List<Expr> terms = new ArrayList<>();
        for (Expr st : p.statements()) {
            flattenUnion(st, terms);
        }
        if (terms.stream().anyMatch(e -> e instanceof Expr.Additive)) {
            return;
        }
        boolean windowsVary = !p.overrides().isEmpty();
        // Linear in the number of terms: identical terms through a map, 'full' once, and
        // window containment only among the first MAX_WINDOW_PAIRS windows.
        Map<String, Expr> firstByKey = new HashMap<>();
        Expr full =
                terms.stream().filter(e -> e instanceof Expr.Full).findFirst().orElse(null);
        List<Expr> windows = terms.stream()
                .filter(e -> e instanceof Expr.Window)
                .limit(MAX_WINDOW_PAIRS)
                .toList();
        for (Expr a : terms) {
            Expr same = firstByKey.putIfAbsent(AstKey.of(a), a);
            Expr container = same != null
                    ? same
                    : full != null && !(a instanceof Expr.Full)
                            ? full
                            : a instanceof Expr.Window && !windowsVary
                                    ? windows.stream()
                                            .filter(w -> w != a
                                                    && contains(w, a, false)
                                                    && (!contains(a, w, false) || terms.indexOf(w) < terms.indexOf(a)))
                                            .findFirst()
                                            .orElse(null)
                                    : null;
            if (container != null) {
                diags.report(DiagCode.W102, a.span(), text(container.span()));
            }
        }
        if (!terms.isEmpty() && terms.stream().allMatch(Warnings::emptyDifference)) {
            diags.report(DiagCode.W104, p.name().span(), p.name().text());
        }
    }

    private static boolean emptyDifference(Expr e) {
        return e instanceof Expr.Difference d && AstKey.of(d.left()).equals(AstKey.of(d.right()));
    }

    /** True when {@code outer} attends every pair {@code inner} attends (different terms). */
    private static boolean contains(Expr outer, Expr inner, boolean windowsVary) {
        if (outer instanceof Expr.Full) {
            return !(inner instanceof Expr.Full);
        }
        if (windowsVary || !(outer instanceof Expr.Window wo) || !(inner instanceof Expr.Window wi)) {
            return false;
        }
        long[] o = constSides(wo);
        long[] in = constSides(wi);
        return o != null && in != null && o[2] == in[2] && in[0] <= o[0] && in[1] <= o[1];
    }

    /** {before, after, dilation} of a constant token window, or null. */
    private static long[] constSides(Expr.Window w) {
        long before = 0;
        long after = 0;
        long dilation = 1;
        if (w.dilation().isPresent()) {
            if (!(w.dilation().get() instanceof Value.Const c)) {
                return null;
            }
            dilation = c.value().value();
        }
        for (Extent x : w.extents()) {
            if (x.blocks() || !(x.amount() instanceof Value.Const c)) {
                return null;
            }
            long v = c.value().value();
            switch (x.side()) {
                case BEFORE -> before = v;
                case AFTER -> after = v;
                default -> {
                    before = v;
                    after = v;
                }
            }
        }
        return new long[] {before, after, dilation};
    }

    /** The operands of a chain of unions, left to right (a non-union is its own only operand). */
    static void flattenUnion(Expr e, List<Expr> out) {
        if (e instanceof Expr.Union u) {
            flattenUnion(u.left(), out);
            flattenUnion(u.right(), out);
        } else {
            out.add(e);
        }
    }

    /** The source text under a one-line span. */
    private static String text(Span s) {
        return s.file().slice(s.line(), s.column(), Math.min(s.length(), 60));
    }
}
