package dev.attnc.compiler.ast;

import dev.attnc.compiler.source.Span;

/** An integer literal; the AST builder has already rejected values above {@code 2^30}. */
public record IntLit(long value, Span span) {
    public int intValue() {
        return (int) value;
    }
}
