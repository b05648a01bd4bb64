package dev.attnc.compiler.cuda;

import java.util.List;

/**
 * The host compiler rejected an emulation build (or could not be run). The message names the
 * command and carries the compiler's complete output, so callers can show it as is; no stack
 * trace is needed to understand it.
 */
public final class EmuBuildException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> command;
    private final String compilerOutput;

    EmuBuildException(String summary, List<String> command, String compilerOutput) {
        super(summary + "\n  command: " + String.join(" ", command)
                + (compilerOutput.isBlank() ? "" : "\n" + compilerOutput.strip()));
        this.command = List.copyOf(command);
        this.compilerOutput = compilerOutput;
    }

    /** The compiler command line that failed. */
    public List<String> command() {
        return command;
    }

    /** What the compiler printed (stdout and stderr, in that order). */
    public String compilerOutput() {
        return compilerOutput;
    }
}
