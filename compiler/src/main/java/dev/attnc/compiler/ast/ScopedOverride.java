package dev.attnc.compiler.ast;

import dev.attnc.compiler.source.Span;
import java.util.List;

/** A scoped change of one parameter of the pattern's own window or random term. */
public sealed interface ScopedOverride {
    Scope scope();

    Span span();

    /** {@code window 512 in layers 6..11} */
    record Window(List<Extent> extents, Scope scope, Span span) implements ScopedOverride {
        public Window {
            extents = List.copyOf(extents);
        }
    }

    /** {@code dilation 2 on heads 8..11} */
    record Dilation(IntLit value, Scope scope, Span span) implements ScopedOverride {}

    /** {@code random 2 blocks in layers 0..3} */
    record Random(IntLit value, Scope scope, Span span) implements ScopedOverride {}
}
