package dev.attnc.compiler.ast;

import dev.attnc.compiler.source.Span;
import java.util.List;

/** A pattern-wide setting. */
public sealed interface Setting {
    Span span();

    /** The keyword, for "set twice" diagnostics. */
    String keyword();

    record HeadDim(IntLit value, Span span) implements Setting {
        @Override
        public String keyword() {
            return "head_dim";
        }
    }

    record Heads(IntLit value, Span span) implements Setting {
        @Override
        public String keyword() {
            return "heads";
        }
    }

    /** {@code kv_heads G}: grouped-query attention, G key/value heads shared by the query heads. */
    record KvHeads(IntLit value, Span span) implements Setting {
        @Override
        public String keyword() {
            return "kv_heads";
        }
    }

    record Layers(IntLit value, Span span) implements Setting {
        @Override
        public String keyword() {
            return "layers";
        }
    }

    record Block(IntLit value, Span span) implements Setting {
        @Override
        public String keyword() {
            return "block";
        }
    }

    /** {@code scale 0.125}; {@code text} is the literal as written, for messages. */
    record Scale(double value, String text, Span span) implements Setting {
        @Override
        public String keyword() {
            return "scale";
        }
    }

    record Dtype(List<Ident> names, Span span) implements Setting {
        public Dtype {
            names = List.copyOf(names);
        }

        @Override
        public String keyword() {
            return "dtype";
        }
    }
}
