package dev.attnc.compiler.emit;

/**
 * The one writer CUDA C is printed through (as JavaPoet's {@code CodeWriter} for Java): lines
 * at the current indent, blocks that open with {@code {} and close with {@code }}, comments,
 * blank lines. It never reorders or rewrites what it is given; output ends with one newline.
 */
final class CudaWriter {

    private static final String INDENT = "    ";

    private final StringBuilder out = new StringBuilder();
    private int depth;

    /** One line at the current indent. */
    CudaWriter line(String text) {
        if (text.isEmpty()) {
            out.append('\n');
            return this;
        }
        out.append(INDENT.repeat(depth)).append(text).append('\n');
        return this;
    }

    CudaWriter blank() {
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
        return out.toString();
    }
}
