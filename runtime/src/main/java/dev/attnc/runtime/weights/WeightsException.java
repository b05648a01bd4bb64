package dev.attnc.runtime.weights;

import java.nio.file.Path;

/**
 * Every failure of this package: a file that is not a valid safetensors file or sharded index, a
 * tensor that is absent or of the wrong type, an I/O error. The message starts with the file (as
 * the caller named it) and names the tensor when there is one, then says what is wrong and what
 * was expected, e.g. {@code "w/model.safetensors: tensor 'bert.pooler.dense.weight': shape [768,
 * 768] of F32 needs 2359296 bytes, data_offsets [0, 100] hold 100"}.
 */
public final class WeightsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public WeightsException(String message) {
        super(message);
    }

    public WeightsException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code "<file>: <what>"}. */
    static WeightsException in(Path file, String what) {
        return new WeightsException(file + ": " + what);
    }

    /** {@code "<file>: <what>"}, with its cause. */
    static WeightsException in(Path file, String what, Throwable cause) {
        return new WeightsException(file + ": " + what, cause);
    }

    /** {@code "<file>: tensor '<name>': <what>"}. */
    static WeightsException tensor(Path file, String tensor, String what) {
        return new WeightsException(file + ": tensor '" + tensor + "': " + what);
    }

    /** {@code "<file>: tensor '<name>': <what>"}, with its cause. */
    static WeightsException tensor(Path file, String tensor, String what, Throwable cause) {
        return new WeightsException(file + ": tensor '" + tensor + "': " + what, cause);
    }
}
