package dev.attnc.compiler.ast;

import dev.attnc.compiler.source.Span;

/** {@code import "path.attn"}: the path as written, relative to the importing file. */
public record ImportDecl(String path, Span span) {}
