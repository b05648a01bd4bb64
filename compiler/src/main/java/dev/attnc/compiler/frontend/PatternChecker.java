package dev.attnc.compiler.frontend;

import dev.attnc.compiler.ast.FileAst;
import dev.attnc.compiler.ast.PatternDecl;
import dev.attnc.compiler.diag.Diagnostics;

/**
 * Front-end pass: the semantic checks of every pattern of a unit (imported files too),
 * each in a class of its own: {@link SettingsCheck}, {@link ScoreModCheck}, {@link TermCheck},
 * {@link OverrideCheck}, then {@link Warnings}, {@link Widenings} and {@link SegmentUnions}. Every check runs and reports all it finds.
 * Runs after {@link NameResolver} even when it reported errors (references that do not
 * resolve are skipped, cycles stop); guarantees, when it reports no error,
 * everything {@link IrBuilder} relies on (valid sizes, block sizes where block terms need
 * them, one own term per override, additive patterns alone).
 */
public final class PatternChecker {

    private PatternChecker() {}

    public static void check(CompilationUnit unit, Diagnostics diags) {
        Widenings widenings = new Widenings(unit);
        for (FileAst file : unit.files()) {
            for (PatternDecl p : file.patterns()) {
                SettingsCheck.check(p, diags);
                ScoreModCheck.check(p, diags);
                TermCheck.check(unit, p, diags);
                OverrideCheck.check(p, diags);
                Warnings.check(p, diags);
                widenings.check(p, diags);
                SegmentUnions.check(p, diags);
            }
        }
    }
}
