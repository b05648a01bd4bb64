package dev.attnc.compiler.cli;

import dev.attnc.compiler.Pipeline;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

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
}
