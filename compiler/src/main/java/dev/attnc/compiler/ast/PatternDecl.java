package dev.attnc.compiler.ast;

import dev.attnc.compiler.source.Span;
import java.util.List;

/**
 * {@code pattern name { ... }}: settings, scoped overrides and mask statements in source
 * order. The statements are combined by union.
 */
public record PatternDecl(
        Ident name, List<Setting> settings, List<ScopedOverride> overrides, List<Expr> statements, Span span) {
    public PatternDecl {
        settings = List.copyOf(settings);
        overrides = List.copyOf(overrides);
        statements = List.copyOf(statements);
    }
}
