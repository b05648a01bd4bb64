package dev.attnc.compiler.ast;

import dev.attnc.compiler.source.Span;

/** A name as written in the spec. */
public record Ident(String text, Span span) {}
