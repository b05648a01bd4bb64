package dev.attnc.runtime.model;

/** A model folder, config or input that cannot be used; the message says what and where. */
public final class ModelException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ModelException(String message) {
        super(message);
    }
}
