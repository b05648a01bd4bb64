package dev.attnc.runtime.io;

import java.io.IOException;

/** A file that is not a {@code .npy} file attnc can read; the message names the file and the problem. */
public final class NpyFormatException extends IOException {
    public NpyFormatException(String message) {
        super(message);
    }
}
