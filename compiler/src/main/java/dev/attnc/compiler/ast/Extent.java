package dev.attnc.compiler.ast;

import dev.attnc.compiler.source.Span;

/**
 * One side clause of a window: {@code 256}, {@code 256 before}, {@code 256 each side},
 * {@code 3 blocks}, {@code 1 block after}.
 */
public record Extent(Value amount, boolean blocks, Side side, Span span) {

    /** Which side an extent names; {@code UNSPECIFIED} when the spec named none. */
    public enum Side {
        UNSPECIFIED,
        BEFORE,
        AFTER,
        EACH
    }
}
