package dev.attnc.compiler.ast;

import dev.attnc.compiler.source.Span;

/** {@code value shared|separate} or {@code pooling matrix|vector}. */
public record AdditiveOption(Kind kind, String choice, Span span) {
    public enum Kind {
        VALUE,
        POOLING
    }
}
