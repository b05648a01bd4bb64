package dev.attnc.compiler.ast;

import dev.attnc.compiler.source.Span;
import java.util.List;

/** {@code on heads 8..11 in layers 6..11}: an empty list means every head (or layer). */
public record Scope(List<IndexRange> heads, List<IndexRange> layers, Span span) {
    public Scope {
        heads = List.copyOf(heads);
        layers = List.copyOf(layers);
    }
}
