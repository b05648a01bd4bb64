package dev.attnc.compiler.frontend;

import dev.attnc.compiler.ast.Expr;
import dev.attnc.compiler.ast.PatternDecl;
import dev.attnc.compiler.diag.DiagCode;
import dev.attnc.compiler.diag.Diagnostics;
import java.util.ArrayList;
import java.util.List;

/**
 * W110: {@code segments from input} as a term of a pattern's top-level union (a statement, or
 * an operand of a top-level {@code |}) beside other terms. Document masking restricts a
 * pattern; unioned, it instead adds every pair within a segment, so {@code causal} and
 * {@code segments from input} as two statements is all pairs within a segment, future keys
 * included. The warning is on the segments term and suggests the intersection with the
 * other terms ({@code causal & segments from input}, or {@code (a | b) & segments from input}).
 * Not reported when W105 is (a bare {@code causal} or {@code full} statement: its suggestion
 * already intersects with the segments term); {@link Widenings} leaves W106 to this warning.
 */
final class SegmentUnions {

    private SegmentUnions() {}

    /** Reports W110 for {@code p}. */
    static void check(PatternDecl p, Diagnostics diags) {
        List<Expr> terms = new ArrayList<>();
        for (Expr st : p.statements()) {
            Warnings.flattenUnion(st, terms);
        }
        if (terms.stream().anyMatch(e -> e instanceof Expr.Additive)) {
            return;
        }
        List<Expr> others =
                terms.stream().filter(e -> !(e instanceof Expr.Segments)).toList();
        if (others.isEmpty() || others.size() == terms.size()) {
            return;
        }
        if (p.statements().stream().anyMatch(s -> s instanceof Expr.Causal || s instanceof Expr.Full)) {
            return; // W105 already suggests intersecting with everything else
        }
        String suggestion = ExprText.operand(others) + " & segments from input";
        for (Expr t : terms) {
            if (t instanceof Expr.Segments) {
                diags.report(DiagCode.W110, t.span(), suggestion);
            }
        }
    }
}
