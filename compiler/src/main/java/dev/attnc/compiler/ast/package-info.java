/**
 * The abstract syntax tree of a spec file: immutable records with source spans, exactly what the
 * user wrote (settings, terms, per-head and per-layer overrides, imports). Built once by the
 * front end from the ANTLR parse tree; nothing here knows ANTLR. May import only
 * {@code source}.
 */
package dev.attnc.compiler.ast;
