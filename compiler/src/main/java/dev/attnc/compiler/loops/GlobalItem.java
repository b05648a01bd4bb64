package dev.attnc.compiler.loops;

/** One part of a global set as the generated code builds it ({@code GlobalSet.Builder} calls). */
public sealed interface GlobalItem {

    /** Tokens {@code from..to}, negative counted from the end. */
    record Tokens(long from, long to) implements GlobalItem {}

    /** Blocks {@code from..to} of {@code block} tokens, negative counted from the end. */
    record Blocks(int block, long from, long to) implements GlobalItem {}

    /** The first {@code count} blocks ({@code block > 0}) or tokens ({@code block == 0}). */
    record First(int block, Operand count) implements GlobalItem {}

    /** The last {@code count} blocks ({@code block > 0}) or tokens ({@code block == 0}). */
    record Last(int block, Operand count) implements GlobalItem {}

    /** The runtime {@code global_mask} of the batch item. */
    record Input() implements GlobalItem {}
}
