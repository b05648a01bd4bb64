package dev.attnc.compiler.exec;

import java.util.function.Function;

/**
 * The named inputs or the run options do not fit the pattern: a missing, unknown or misshapen
 * input, or an option the pattern contradicts. {@link #getMessage()} names options and inputs
 * as the Java API does; {@link #message(Spelling)} as another caller (the command line) does.
 */
public final class RunException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final transient Function<Spelling, String> text;

    RunException(Function<Spelling, String> text) {
        super(text.apply(Spelling.API));
        this.text = text;
    }

    RunException(String message) {
        this(s -> message);
    }

    /** The message with options and inputs spelt by {@code spelling}. */
    public String message(Spelling spelling) {
        return text == null ? getMessage() : text.apply(spelling);
    }
}
