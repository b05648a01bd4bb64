package dev.attnc.compiler.cuda;

import java.util.List;
import java.util.Objects;

/**
 * An nvcc build that produced nothing: nvcc rejected the source, failed to start, ran past its
 * timeout, or wrote output this library cannot read. When it is thrown, {@link Nvcc#build} has
 * left no output file behind.
 *
 * <p>The message starts with one summary line and then nvcc's diagnostics with locations rewritten
 * from nvcc's {@code file(line): error: ...} to the usual {@code file:line: error: ...};
 * {@link #diagnostics()} is nvcc's output unchanged.
 */
public final class CudaBuildException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<String> command;
    private final String diagnostics;

    public CudaBuildException(String summary, List<String> command, String diagnostics) {
        this(summary, command, diagnostics, null);
    }

    public CudaBuildException(String summary, List<String> command, String diagnostics, Throwable cause) {
        super(message(summary, diagnostics), cause);
        this.command = List.copyOf(command);
        this.diagnostics = Objects.requireNonNull(diagnostics, "diagnostics");
    }

    /** The nvcc command line that was run (empty if nvcc was never started). */
    public List<String> command() {
        return command;
    }

    /** Everything nvcc (and ptxas) wrote to stdout and stderr, unchanged; may be empty. */
    public String diagnostics() {
        return diagnostics;
    }

    /** nvcc's {@code /a/b.cu(12): error: x} lines as {@code /a/b.cu:12: error: x}; other lines unchanged. */
    static String withColonLocations(String nvccText) {
        return nvccText.replaceAll("(?m)^(.+?)\\((\\d+)\\): (error|warning|remark)", "$1:$2: $3");
    }

    private static String message(String summary, String diagnostics) {
        String d = withColonLocations(diagnostics == null ? "" : diagnostics).strip();
        return d.isEmpty() ? summary : summary + "\n" + d;
    }
}
