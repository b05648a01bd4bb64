package dev.attnc.compiler.cli;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.ir.PatternIR;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Compiles a spec file named on the command line and prints all its diagnostics. */
final class SpecFiles {

    private SpecFiles() {}

    /**
     * Compiles {@code file} (diagnostics name it as the user wrote it) and writes every
     * diagnostic, errors and warnings, rendered with carets, to {@code err}.
     */
    static Pipeline.Result compile(String file, PrintWriter err) {
        Path path;
        try {
            path = Path.of(file);
        } catch (InvalidPathException e) {
            throw new UserError("'" + file + "' is not a valid file name: " + e.getReason());
        }
        Pipeline.Result result = Pipeline.compileFile(path, file);
        String text = result.diagnostics().render();
        if (!text.isEmpty()) {
            err.print(text);
            err.flush();
        }
        return result;
    }

    /** The pattern named {@code pattern}, or the file's only pattern when none is named. */
    static PatternIR select(Pipeline.Result result, String file, String pattern) {
        List<PatternIR> all = result.patterns();
        String names = all.stream().map(PatternIR::name).collect(Collectors.joining(", "));
        if (pattern != null) {
            return result.pattern(pattern)
                    .orElseThrow(() -> new UserError("no pattern '" + pattern + "' in " + file
                            + (all.isEmpty() ? " (it has none)" : "; its patterns: " + names)));
        }
        if (all.size() == 1) {
            return all.get(0);
        }
        if (all.isEmpty()) {
            throw new UserError(file + " declares no pattern");
        }
        throw new UserError(file + " has " + all.size() + " patterns; choose one with --pattern: " + names);
    }
}
