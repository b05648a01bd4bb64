package dev.attnc.compiler.codegen;

/** A generation that must fail the build; the message says why, the log already has the details. */
public final class CodegenException extends Exception {
    private static final long serialVersionUID = 1L;

    public CodegenException(String message) {
        super(message);
    }

    public CodegenException(String message, Throwable cause) {
        super(message, cause);
    }
}
