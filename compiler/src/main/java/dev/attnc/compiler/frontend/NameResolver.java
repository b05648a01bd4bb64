package dev.attnc.compiler.frontend;

import dev.attnc.compiler.ast.Expr;
import dev.attnc.compiler.ast.FileAst;
import dev.attnc.compiler.ast.PatternDecl;
import dev.attnc.compiler.diag.DiagCode;
import dev.attnc.compiler.diag.Diagnostics;
import dev.attnc.compiler.source.Span;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
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
                        reportUnknown(r.name().text(), r.span(), table.keySet(), diags);
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

    /**
     * E011 with the closest pattern name or keyword ({@code befor} is 'before', {@code casual}
     * is 'causal'), or E017/E018 for a word from another tool ({@code alibi}, {@code document}).
     */
    static void reportUnknown(String name, Span span, Collection<String> names, Diagnostics diags) {
        Optional<ForeignWords.Advice> advice = ForeignWords.lookup(name);
        if (advice.isPresent()) {
            diags.report(advice.get().code(), span, name, advice.get().text(OptionalLong.empty()));
            return;
        }
        List<String> candidates = new ArrayList<>(names);
        candidates.addAll(Suggestions.keywords());
        diags.report(DiagCode.E011, span, name, Suggestions.didYouMean(name, candidates));
    }
}
