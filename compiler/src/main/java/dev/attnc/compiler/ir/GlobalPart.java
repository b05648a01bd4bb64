package dev.attnc.compiler.ir;

/**
 * One part of a global set. Indices are inclusive and may be negative, counted from the
 * end of the sequence ({@code -1} is the last token or block).
 */
public sealed interface GlobalPart {

    /** Token indices {@code from..to}. */
    record Tokens(long from, long to) implements GlobalPart {}

    /** Block indices {@code from..to}, each block {@code block} tokens (the last one may be short). */
    record Blocks(int block, long from, long to) implements GlobalPart {}

    /** The first {@code count} blocks of {@code block} tokens, or tokens when {@code block == 0}. */
    record First(int block, Param count) implements GlobalPart {}

    /** The last {@code count} blocks of {@code block} tokens, or tokens when {@code block == 0}. */
    record Last(int block, Param count) implements GlobalPart {}

    /** A per-batch-item mask given at run time ({@code global_mask [B, L]}). */
    record FromInput() implements GlobalPart {}

    /** True for parts that select whole blocks (used by random-block exclusion). */
    default boolean isBlockLevel() {
        return (this instanceof Blocks)
                || (this instanceof First f && f.block() > 0)
                || (this instanceof Last l && l.block() > 0);
    }
}
