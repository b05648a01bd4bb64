package dev.attnc.compiler.ast;

import dev.attnc.compiler.source.Span;
import java.util.List;

/** One part of a {@code global} term. */
public sealed interface GlobalItem {
    Span span();

    /** {@code tokens [0, 5..9, -1]} */
    record Tokens(List<IndexRange> indices, Span span) implements GlobalItem {
        public Tokens {
            indices = List.copyOf(indices);
        }
    }

    /** {@code blocks [0, -1]} */
    record Blocks(List<IndexRange> indices, Span span) implements GlobalItem {
        public Blocks {
            indices = List.copyOf(indices);
        }
    }

    /** {@code from input}: a per-batch-item mask given at run time. */
    record FromInput(Span span) implements GlobalItem {}

    /** {@code first 2 blocks} or {@code first 4 tokens}. */
    record First(Value count, boolean blocks, Span span) implements GlobalItem {}

    /** {@code last 1 block} or {@code last 4 tokens}. */
    record Last(Value count, boolean blocks, Span span) implements GlobalItem {}
}
