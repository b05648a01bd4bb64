package dev.attnc.compiler.interp;

/**
 * The kinds of primitive term the interpreter records per attended pair, as bits. The order
 * is that of {@code render.TermKind} (drawing priority), so the bits map over directly.
 */
public enum MaskKind {
    GLOBAL,
    WINDOW,
    BLOCK_WINDOW,
    RANDOM,
    CAUSAL,
    FULL,
    TOKEN_SET;

    public int bit() {
        return 1 << ordinal();
    }
}
