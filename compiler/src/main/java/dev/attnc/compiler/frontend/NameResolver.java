package dev.attnc.compiler.frontend;

import dev.attnc.compiler.ast.Expr;
import dev.attnc.compiler.ast.FileAst;
import dev.attnc.compiler.ast.PatternDecl;
import dev.attnc.compiler.diag.DiagCode;
import dev.attnc.compiler.diag.Diagnostics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Front-end pass: pattern names. Reports names that cannot become identifiers (E014),
 * duplicate patterns (E010), references to unknown patterns (E011, with a suggestion) and
 * patterns that refer to themselves (E012). Guarantees, when no error is reported, that
 * every reference resolves and that references form no cycle.
 */
public final class NameResolver {

    private NameResolver() {}

    public static void resolve(CompilationUnit unit, Diagnostics diags) {
        Map<String, PatternDecl> first = new HashMap<>();
        // Imported files first: a root pattern that reuses an imported name is the duplicate,
        // reported in the file being compiled rather than in the library.
        List<FileAst> importsFirst = new ArrayList<>();
        unit.files().stream().filter(f -> f != unit.root()).forEach(importsFirst::add);
        unit.files().stream().filter(f -> f == unit.root()).forEach(importsFirst::add);
        for (FileAst f : importsFirst) {
            for (PatternDecl p : f.patterns()) {
                String name = p.name().text();
                Identifiers.problem(name)
                        .ifPresent(why -> diags.report(DiagCode.E014, p.name().span(), name, why));
                PatternDecl prev = first.putIfAbsent(name, p);
                if (prev != null) {
                    diags.report(
                            DiagCode.E010,
                            p.name().span(),
                            name,
                            prev.name().span().location());
                }
            }
        }
        Map<String, PatternDecl> table = unit.patterns();
        for (FileAst f : unit.files()) {
            for (PatternDecl p : f.patterns()) {
                for (Expr e : AstWalk.preorder(p.statements())) {
                    if (e instanceof Expr.Ref r && !table.containsKey(r.name().text())) {
                        diags.report(
                                DiagCode.E011,
                                r.span(),
                                r.name().text(),
                                suggestion(r.name().text(), table.keySet()));
                    }
                }
            }
        }
        reportCycles(unit, table, diags);
    }

    private static void reportCycles(CompilationUnit unit, Map<String, PatternDecl> table, Diagnostics diags) {
        Set<String> done = new HashSet<>();
        for (FileAst f : unit.files()) {
            for (PatternDecl p : f.patterns()) {
                if (table.get(p.name().text()) == p) {
                    findCycle(p, table, new ArrayList<>(), done, diags);
                }
            }
        }
    }

    /** Depth-first search over references; the path is explicit, so depth is bounded by the pattern count. */
    private static void findCycle(
            PatternDecl p, Map<String, PatternDecl> table, List<String> path, Set<String> done, Diagnostics diags) {
        String name = p.name().text();
        if (done.contains(name)) {
            return;
        }
        path.add(name);
        for (Expr e : AstWalk.preorder(p.statements())) {
            if (!(e instanceof Expr.Ref r)) {
                continue;
            }
            String target = r.name().text();
            int at = path.indexOf(target);
            if (at >= 0) {
                List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
                cycle.add(target);
                diags.report(DiagCode.E012, r.span(), target, String.join(" -> ", cycle));
            } else if (table.containsKey(target)) {
                findCycle(table.get(target), table, path, done, diags);
            }
        }
        path.remove(path.size() - 1);
        done.add(name);
    }

    private static String suggestion(String name, Set<String> known) {
        String best = null;
        int bestDist = Integer.MAX_VALUE;
        for (String k : known) {
            int d = editDistance(name, k);
            if (d < bestDist || (d == bestDist && best != null && k.compareTo(best) < 0)) {
                best = k;
                bestDist = d;
            }
        }
        return best != null && bestDist <= Math.max(1, name.length() / 3) ? "; did you mean '" + best + "'?" : "";
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
