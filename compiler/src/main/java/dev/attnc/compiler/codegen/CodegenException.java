package dev.attnc.compiler.codegen;

/** A generation that must fail the build; the message says why, the log already has the details. */
public final class CodegenException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int specErrors;

    public CodegenException(String message) {
        this(message, 0, null);
    }

    public CodegenException(String message, Throwable cause) {
        this(message, 0, cause);
    }

    private CodegenException(String message, int specErrors, Throwable cause) {
        super(message, cause);
        this.specErrors = specErrors;
    }

    /** The specs had {@code errors} errors (each already logged with its source line); nothing was generated. */
    static CodegenException inSpecs(int errors) {
        return new CodegenException(errors + " error(s) in the specs (see above); nothing generated", errors, null);
    }

    /** How many errors the specs had, when that is why the run failed; else 0. */
    public int specErrors() {
        return specErrors;
    }
}
