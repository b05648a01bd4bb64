package dev.attnc.compiler.emit;

import java.util.List;

/**
 * The one writer CUDA C is printed through (as JavaPoet's {@code CodeWriter} for Java): lines
 * at the current indent, blocks that open with {@code {} and close with {@code }}, comments,
 * blank lines, and a line built in pieces ({@link #add} … {@link #end}) for an expression that
 * a visitor prints node by node. Formats take {@code $L} for the next argument's text (as
 * JavaPoet's), {@code $$} for a dollar sign. It never reorders or rewrites what it is given;
 * output ends with one newline.
 */
final class CudaWriter {

    private static final String INDENT = "    ";

    private final StringBuilder out = new StringBuilder();
    private int depth;
    private boolean inLine;

    /** One line at the current indent, as given. */
    CudaWriter line(String text) {
        requireLineStart();
        if (text.isEmpty()) {
            out.append('\n');
            return this;
        }
        out.append(INDENT.repeat(depth)).append(text).append('\n');
        return this;
    }

    /** One line at the current indent: {@code format} with each {@code $L} replaced by the next argument. */
    CudaWriter line(String format, Object... args) {
        return line(format(format, args));
    }

    /** {@code type a, b, c;}: locals declared, nothing when {@code names} is empty. */
    CudaWriter declare(String type, List<String> names) {
        return names.isEmpty() ? this : line("$L $L;", type, String.join(", ", names));
    }

    /** Continues the current line (starting it at the current indent) with {@code format} filled in. */
    CudaWriter add(String format, Object... args) {
        if (!inLine) {
            out.append(INDENT.repeat(depth));
            inLine = true;
        }
        out.append(format(format, args));
        return this;
    }

    /** Ends the line {@link #add} began with {@code format} filled in. */
    CudaWriter end(String format, Object... args) {
        add(format, args);
        out.append('\n');
        inLine = false;
        return this;
    }

    CudaWriter blank() {
        requireLineStart();
        out.append('\n');
        return this;
    }

    /** {@code // text}, one line per line of text. */
    CudaWriter comment(String text) {
        for (String l : text.split("\n", -1)) {
            line(l.isEmpty() ? "//" : "// " + l);
        }
        return this;
    }

    /** {@code head {} and one level deeper. */
    CudaWriter open(String head) {
        line(head + " {");
        depth++;
        return this;
    }

    /** One level shallower and {@code }} followed by {@code tail} (e.g. {@code ;}). */
    CudaWriter close(String tail) {
        if (depth == 0) {
            throw new IllegalStateException("unbalanced close");
        }
        depth--;
        line("}" + tail);
        return this;
    }

    CudaWriter close() {
        return close("");
    }

    @Override
    public String toString() {
        if (depth != 0) {
            throw new IllegalStateException("unclosed block");
        }
        requireLineStart();
        return out.toString();
    }

    private void requireLineStart() {
        if (inLine) {
            throw new IllegalStateException("a line begun with add() is not ended");
        }
    }

    /** {@code format} with {@code $L} replaced by the arguments' text in order, {@code $$} by {@code $}. */
    static String format(String format, Object... args) {
        StringBuilder sb = new StringBuilder();
        int next = 0;
        for (int k = 0; k < format.length(); k++) {
            char ch = format.charAt(k);
            if (ch != '$') {
                sb.append(ch);
                continue;
            }
            char kind = k + 1 < format.length() ? format.charAt(k + 1) : ' ';
            if (kind == '$') {
                sb.append('$');
            } else if (kind == 'L' && next < args.length) {
                sb.append(args[next++]);
            } else {
                throw new IllegalArgumentException(
                        "bad placeholder at " + k + " in \"" + format + "\" (" + args.length + " arguments)");
            }
            k++;
        }
        if (next != args.length) {
            throw new IllegalArgumentException((args.length - next) + " unused arguments for \"" + format + "\"");
        }
        return sb.toString();
    }
}
