package dev.attnc.compiler.ast;

import dev.attnc.compiler.source.Span;
import java.util.List;
import java.util.Optional;

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

    /**
     * {@code scale [0.125, 0.25] per head}: one softmax scale per head; {@code texts} are the
     * literals as written, {@code list} the span of the bracketed list and its {@code per head}.
     */
    record HeadScales(List<Double> values, List<String> texts, Span list, Span span) implements Setting {
        public HeadScales {
            values = List.copyOf(values);
            texts = List.copyOf(texts);
        }

        @Override
        public String keyword() {
            return "scale";
        }
    }

    /** {@code softcap 50.0}: scores are capped to {@code C · tanh(s / C)}. */
    record Softcap(double value, String text, Span span) implements Setting {
        @Override
        public String keyword() {
            return "softcap";
        }
    }

    /**
     * {@code alibi} (Bloom's slopes from the head count) or {@code alibi [0.5, 0.25] per head}
     * (explicit slopes; {@code texts} as written, {@code list} the span of the list and its
     * {@code per head}, empty without a list).
     */
    record Alibi(List<Double> slopes, List<String> texts, Optional<Span> list, Span span) implements Setting {
        public Alibi {
            slopes = List.copyOf(slopes);
            texts = List.copyOf(texts);
        }

        /** Whether the slopes are Bloom's (no list given). */
        public boolean bloom() {
            return list.isEmpty();
        }

        @Override
        public String keyword() {
            return "alibi";
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
