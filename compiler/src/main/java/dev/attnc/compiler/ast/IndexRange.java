package dev.attnc.compiler.ast;

import dev.attnc.compiler.source.Span;

/**
 * {@code a} or {@code a..b} (inclusive at both ends). Token and block indices may be
 * negative, counted from the end ({@code -1} is the last); head and layer indices may not.
 */
public record IndexRange(long from, long to, Span span) {
    public boolean isSingle() {
        return from == to;
    }

    @Override
    public String toString() {
        return isSingle() ? Long.toString(from) : from + ".." + to;
    }
}
