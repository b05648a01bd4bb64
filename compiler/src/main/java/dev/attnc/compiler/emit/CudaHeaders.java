package dev.attnc.compiler.emit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The hand-written CUDA headers generated sources include, read from the compiler's resources. */
public final class CudaHeaders {

    private static final String DIR = "/dev/attnc/compiler/cuda/";

    private CudaHeaders() {}

    /** The text of {@code name} (one of {@link CudaEmitter#HEADERS}, or {@code attnc_emu.h}). */
    public static String text(String name) {
        try (InputStream in = CudaHeaders.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + DIR + name + " is missing from the compiler jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
