package dev.attnc.compiler.interp;

/**
 * The kinds of primitive term the interpreter records per attended pair, as bits. The order
 * is that of {@code render.TermKind} (drawing priority), so the bits map over directly.
 */
public enum MaskKind {
    GLOBAL,
    TOKEN_SET,
    WINDOW,
    BLOCK_WINDOW,
    RANDOM,
    CAUSAL,
    FULL,
    SEGMENTS;

    public int bit() {
        return 1 << ordinal();
    }
}
