package dev.attnc.compiler.exec;

import java.util.function.Function;

/**
 * A backend cannot run the pattern here: its tool or device is missing (no JDK compiler, no
 * g++ or CUDA headers for the emulator, no CUDA driver or nvcc) or it failed to build the
 * pattern's kernel. The message says why; {@link #message(Spelling)} names the backend option
 * as the caller does.
 */
public final class BackendException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Function<Spelling, String> text;

    BackendException(Function<Spelling, String> text, Throwable cause) {
        super(text.apply(Spelling.API), cause);
        this.text = text;
    }

    /** As {@link #getMessage()}, with the backend option spelt by {@code spelling}. */
    public String message(Spelling spelling) {
        return text == null ? getMessage() : text.apply(spelling);
    }

    /** {@code <backend option> <backend>: <why>}, e.g. {@code backend cuda: no CUDA driver …}. */
    static BackendException of(String backend, String why, Throwable cause) {
        return new BackendException(s -> s.option("backend") + " " + backend + ": " + why, cause);
    }
}
