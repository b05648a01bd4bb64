package dev.attnc.runtime.weights;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Safetensors bytes built by hand for tests, independently of {@link SafeTensorsWriter}. */
final class RawFile {

    private RawFile() {}

    /** The 8 bytes of {@code n} as a little-endian u64, byte by byte. */
    static byte[] u64(long n) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (n >>> (8 * i));
        }
        return b;
    }

    /** A u64 length, then the header's UTF-8 bytes as given (no padding), then {@code dataBytes} zero bytes. */
    static byte[] of(String header, int dataBytes) {
        return concat(u64(header.getBytes(StandardCharsets.UTF_8).length), utf8(header), new byte[dataBytes]);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static Path write(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
