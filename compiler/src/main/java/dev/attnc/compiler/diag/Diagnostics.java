package dev.attnc.compiler.diag;

import dev.attnc.compiler.source.Span;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Collects the diagnostics of one compile. Passes report into it and keep going, so that
 * every error of a file is shown; the driver checks {@link #errorCount()} between stages
 * (as ANTLR's {@code Tool} does) and writes no output once an error exists.
 */
public final class Diagnostics {

    /** After this many errors in one compile, further errors are counted but not kept. */
    public static final int MAX_ERRORS = 100;

    private final List<Diagnostic> list = new ArrayList<>();
    private int errors;
    private boolean truncated;

    public void report(DiagCode code, Span span, Object... args) {
        add(Diagnostic.of(code, span, args));
    }

    public void add(Diagnostic d) {
        if (d.isError()) {
            errors++;
            if (errors > MAX_ERRORS) {
                if (!truncated) {
                    truncated = true;
                    list.add(Diagnostic.of(DiagCode.E008, d.span(), MAX_ERRORS));
                }
                return;
            }
        }
        list.add(d);
    }

    public int errorCount() {
        return errors;
    }

    public boolean hasErrors() {
        return errors > 0;
    }

    public boolean isTruncated() {
        return truncated;
    }

    public int warningCount() {
        return (int) list.stream().filter(d -> !d.isError()).count();
    }

    /** All diagnostics in file order (file name, line, column), stable for equal positions. */
    public List<Diagnostic> sorted() {
        List<Diagnostic> copy = new ArrayList<>(list);
        copy.sort(Comparator.comparing((Diagnostic d) -> d.span().file().name())
                .thenComparingInt(d ->
                        d.code() == DiagCode.E008 ? Integer.MAX_VALUE : d.span().line())
                .thenComparingInt(d -> d.span().column()));
        return Collections.unmodifiableList(copy);
    }

    /** Every diagnostic rendered with its caret, separated by newlines. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        for (Diagnostic d : sorted()) {
            sb.append(d.render()).append('\n');
        }
        return sb.toString();
    }
}
