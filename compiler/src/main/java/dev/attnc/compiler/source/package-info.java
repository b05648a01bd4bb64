/**
 * Spec text and positions: {@code SourceFile} (a named text with line starts) and {@code Span}
 * (file, line, column, length), the base every diagnostic and AST node points into. The lowest
 * floor of the compiler: imports nothing of attnc.
 */
package dev.attnc.compiler.source;
