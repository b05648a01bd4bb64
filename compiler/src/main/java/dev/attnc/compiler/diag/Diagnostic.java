package dev.attnc.compiler.diag;

import dev.attnc.compiler.source.Span;
import java.util.Objects;

/** One reported problem: what, where, and the formatted message. */
public record Diagnostic(DiagCode code, Span span, String message) {

    public Diagnostic {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(span, "span");
        Objects.requireNonNull(message, "message");
    }

    /** How many characters of a source line a rendered diagnostic shows at most. */
    private static final int SHOWN = 160;

    public static Diagnostic of(DiagCode code, Span span, Object... args) {
        return new Diagnostic(code, span, code.format(args));
    }

    public Severity severity() {
        return code.severity();
    }

    public boolean isError() {
        return code.severity() == Severity.ERROR;
    }

    /**
     * {@code file:line:col: error[E012]: message}, then the source line and a caret under
     * the spot (tildes under the rest of the span), as Triton's and clang's errors render.
     */
    public String render() {
        String header = span.location() + ": " + code.severity().label() + "[" + code.name() + "]: " + message;
        // Long lines are shown as an excerpt of SHOWN characters around the column.
        int from = Math.max(1, span.column() - SHOWN / 2);
        String line = span.file().slice(span.line(), from, SHOWN);
        if (line.isEmpty() && span.line() == 1 && span.file().text().isEmpty()) {
            return header;
        }
        String shown = printable(line);
        int col = Math.min(span.column() - from + 1, shown.length() + 1);
        int len = Math.max(1, Math.min(span.length(), shown.length() + 1 - col));
        String caret = " ".repeat(col - 1) + "^" + "~".repeat(len - 1);
        return header + "\n    " + shown + "\n    " + caret;
    }

    /** Tabs become spaces and control characters '?', so that the caret lines up. */
    private static String printable(String line) {
        StringBuilder sb = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            sb.append(c == '\t' ? ' ' : (c < 0x20 || c == 0x7f) ? '?' : c);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return span.location() + ": " + code.severity().label() + "[" + code.name() + "]: " + message;
    }
}
