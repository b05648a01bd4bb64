package dev.attnc.compiler.frontend;

import dev.attnc.compiler.ast.Expr;
import dev.attnc.compiler.ast.Extent;
import dev.attnc.compiler.ast.IntLit;
import dev.attnc.compiler.ast.PatternDecl;
import dev.attnc.compiler.ast.ScopedOverride;
import dev.attnc.compiler.ast.Value;
import dev.attnc.compiler.diag.DiagCode;
import dev.attnc.compiler.diag.Diagnostics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Warnings for unions that silently widen a pattern beyond what its author most likely meant:
 * <ul>
 *   <li>W105: a bare {@code causal} or {@code full} statement beside other mask statements.
 *       Statements combine by union, so {@code causal window 4096 before} is all of
 *       {@code causal}; the warning suggests the intersection ({@code causal & window 4096
 *       before}). An explicit {@code causal | x} is a union the author wrote and is not
 *       warned.</li>
 *   <li>W106: a pattern whose top-level union (statements and {@code |} operands) has causal
 *       terms and non-causal ones, which add pairs above the diagonal (one warning per
 *       non-causal term) ({@code causal & window
 *       1019 before} beside {@code global first 4 tokens}: the sink rows attend every future
 *       key). Suggests intersecting that term with {@code causal}. Not warned when a causal
 *       term is {@code causal} itself (a deliberate {@code causal | prefix}), nor when W105
 *       is.</li>
 * </ul>
 * A term is causal when it provably allows only {@code j <= i}: {@code causal}, a token
 * window with no keys after the query (its overrides included), an intersection with a
 * causal side, a difference with a causal left side or identical operands (empty), a union of causal terms, and a
 * reference to a pattern whose terms are all causal. Everything else (block windows, global
 * and random terms, {@code full}) counts as non-causal.
 */
final class Widenings {

    private final CompilationUnit unit;

    /** Whether each referenced pattern is causal, so that shared references are analysed once. */
    private final Map<String, Boolean> causalPatterns = new HashMap<>();

    /** Checks patterns of {@code unit}, looking references up in it. */
    Widenings(CompilationUnit unit) {
        this.unit = unit;
    }

    /** Reports W105 and W106 for {@code p}, a pattern of the unit. */
    void check(PatternDecl p, Diagnostics diags) {
        List<Expr> statements = p.statements();
        if (statements.stream().anyMatch(e -> e instanceof Expr.Additive)) {
            return;
        }
        if (swallowingStatements(statements, diags)) {
            return;
        }
        leakingTerm(p, diags);
    }

    private static boolean swallowingStatements(List<Expr> statements, Diagnostics diags) {
        // The statements to intersect with: the ones that are neither 'causal' nor 'full'
        // (several of those alone are W102's business).
        List<Expr> others = statements.stream()
                .filter(o -> !(o instanceof Expr.Causal || o instanceof Expr.Full))
                .toList();
        if (others.isEmpty() || others.size() == statements.size()) {
            return false;
        }
        boolean warned = false;
        for (Expr s : statements) {
            if (!(s instanceof Expr.Causal || s instanceof Expr.Full)) {
                continue;
            }
            String word = s instanceof Expr.Causal ? "causal" : "full";
            String what = s instanceof Expr.Causal ? "every key up to the query" : "every pair";
            diags.report(DiagCode.W105, s.span(), word, what, word + " & " + ExprText.operand(others));
            warned = true;
        }
        return warned;
    }

    private void leakingTerm(PatternDecl p, Diagnostics diags) {
        List<Expr> terms = new ArrayList<>();
        for (Expr st : p.statements()) {
            flattenUnion(st, terms);
        }
        if (terms.size() < 2 || terms.stream().anyMatch(e -> e instanceof Expr.Causal || e instanceof Expr.Segments)) {
            // a unioned 'segments from input' is W110's
            return;
        }
        List<Expr> leaking =
                terms.stream().filter(t -> !causal(t, p, new HashSet<>())).toList();
        if (leaking.isEmpty() || leaking.size() == terms.size()) {
            return;
        }
        String suggestion = "causal & "
                + ExprText.operand(terms.stream().map(Widenings::withoutCausal).toList());
        for (Expr leak : leaking) {
            diags.report(DiagCode.W106, ExprText.extent(leak), ExprText.of(leak), suggestion);
        }
    }

    /** {@code t} without an outer {@code causal &} or {@code & causal}, which the suggestion adds back. */
    private static Expr withoutCausal(Expr t) {
        if (t instanceof Expr.Intersect x && x.left() instanceof Expr.Causal) {
            return x.right();
        } else if (t instanceof Expr.Intersect x && x.right() instanceof Expr.Causal) {
            return x.left();
        }
        return t;
    }

    /** True when {@code e}, a term of {@code owner}, allows only pairs with {@code j <= i}. */
    private boolean causal(Expr e, PatternDecl owner, Set<String> visiting) {
        if (e instanceof Expr.Causal) {
            return true;
        } else if (e instanceof Expr.Window w) {
            return noKeysAfter(w, owner);
        } else if (e instanceof Expr.Intersect x) {
            return causal(x.left(), owner, visiting) || causal(x.right(), owner, visiting);
        } else if (e instanceof Expr.Difference d) {
            // X - X is empty (W104), so causal too.
            return causal(d.left(), owner, visiting) || AstKey.of(d.left()).equals(AstKey.of(d.right()));
        } else if (e instanceof Expr.Union u) {
            return causal(u.left(), owner, visiting) && causal(u.right(), owner, visiting);
        } else if (e instanceof Expr.Ref r) {
            String name = r.name().text();
            Boolean known = causalPatterns.get(name);
            if (known != null) {
                return known;
            }
            PatternDecl target = unit.lookup(name).orElse(null);
            if (target == null || !visiting.add(name) || target.statements().isEmpty()) {
                return false; // unknown or cyclic references are errors reported elsewhere
            }
            boolean all = target.statements().stream().allMatch(s -> causal(s, target, visiting));
            visiting.remove(name);
            causalPatterns.put(name, all);
            return all;
        }
        return false;
    }

    /** A token window whose after side is 0 everywhere, overrides of {@code owner} included. */
    private static boolean noKeysAfter(Expr.Window w, PatternDecl owner) {
        if (w.extents().stream().anyMatch(Extent::blocks) || !noAfter(w.extents())) {
            return false;
        }
        return owner.overrides().stream()
                .filter(o -> o instanceof ScopedOverride.Window)
                .allMatch(o -> noAfter(((ScopedOverride.Window) o).extents()));
    }

    private static boolean noAfter(List<Extent> extents) {
        return extents.stream().allMatch(x -> x.side() == Extent.Side.BEFORE || allZero(x.amount()));
    }

    private static boolean allZero(Value v) {
        if (v instanceof Value.Const c) {
            return c.value().value() == 0;
        }
        List<IntLit> values = v instanceof Value.PerLayer l ? l.values() : ((Value.PerHead) v).values();
        return values.stream().allMatch(x -> x.value() == 0);
    }

    private static void flattenUnion(Expr e, List<Expr> out) {
        Warnings.flattenUnion(e, out);
    }
}
