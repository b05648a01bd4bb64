package dev.attnc.compiler.source;

/**
 * A region of a spec file: 1-based line, 1-based column, and its length in characters on
 * that line (at least 1, so that a caret can always be drawn).
 */
public record Span(SourceFile file, int line, int column, int length) {

    public Span {
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("span starts at " + line + ":" + column);
        }
        length = Math.max(1, length);
    }

    /** A span for a whole file when no better position exists (unreadable file, import cycle). */
    public static Span startOf(SourceFile file) {
        return new Span(file, 1, 1, 1);
    }

    /** From the start of this span to the end of {@code other}, when both are on one line. */
    public Span to(Span other) {
        if (other.line != line || other.file != file) {
            return this;
        }
        int end = Math.max(column + length, other.column + other.length);
        return new Span(file, line, column, end - column);
    }

    /** {@code name:line:col}, the prefix of a diagnostic. */
    public String location() {
        return file.name() + ":" + line + ":" + column;
    }

    @Override
    public String toString() {
        return location();
    }
}
