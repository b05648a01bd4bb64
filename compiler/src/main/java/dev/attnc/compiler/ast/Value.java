package dev.attnc.compiler.ast;

import dev.attnc.compiler.source.Span;
import java.util.List;

/** A number in a term that may vary by layer or by head. */
public sealed interface Value {
    Span span();

    /** {@code 256} */
    record Const(IntLit value) implements Value {
        @Override
        public Span span() {
            return value.span();
        }
    }

    /** {@code [32, 64, 128] per layer} */
    record PerLayer(List<IntLit> values, Span span) implements Value {
        public PerLayer {
            values = List.copyOf(values);
        }
    }

    /** {@code [1, 1, 2, 2] per head} */
    record PerHead(List<IntLit> values, Span span) implements Value {
        public PerHead {
            values = List.copyOf(values);
        }
    }
}
