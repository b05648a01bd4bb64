package dev.attnc.compiler.jit;

/** Compiling generated Java at run time failed; the message says why and where. */
public final class CompilationException extends RuntimeException {
    public CompilationException(String message) {
        super(message);
    }
}
