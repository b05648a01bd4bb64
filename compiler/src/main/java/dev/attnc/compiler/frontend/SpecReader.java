package dev.attnc.compiler.frontend;

import dev.attnc.compiler.diag.DiagCode;
import dev.attnc.compiler.diag.Diagnostics;
import dev.attnc.compiler.source.SourceFile;
import dev.attnc.compiler.source.Span;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads a spec file from disk, refusing what is not a spec: a missing or unreadable file,
 * a file over {@link #MAX_BYTES}, bytes that are not UTF-8, or NUL characters (binary data).
 */
public final class SpecReader {

    /** Spec files are small; anything larger is almost surely not a spec. */
    public static final long MAX_BYTES = 4L << 20;

    private SpecReader() {}

    /** The file's text, or empty after reporting why it cannot be read. */
    public static Optional<SourceFile> read(Path path, String displayName, Diagnostics diags) {
        SourceFile placeholder = SourceFile.ofString(displayName, "");
        try {
            if (Files.isDirectory(path)) {
                diags.report(DiagCode.E001, Span.startOf(placeholder), "it is a directory");
                return Optional.empty();
            }
            long size = Files.size(path);
            if (size > MAX_BYTES) {
                diags.report(DiagCode.E003, Span.startOf(placeholder), size, MAX_BYTES);
                return Optional.empty();
            }
            byte[] bytes = Files.readAllBytes(path);
            return decode(bytes, displayName, path, diags);
        } catch (NoSuchFileException e) {
            diags.report(DiagCode.E001, Span.startOf(placeholder), "no such file");
        } catch (IOException | SecurityException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            diags.report(DiagCode.E001, Span.startOf(placeholder), why);
        }
        return Optional.empty();
    }

    /** Decodes strictly; reports the line and column of the first byte that is not text. */
    static Optional<SourceFile> decode(byte[] bytes, String displayName, Path path, Diagnostics diags) {
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            int bad = firstInvalidUtf8(bytes);
            String prefix = new String(bytes, 0, bad, StandardCharsets.UTF_8);
            SourceFile shown = new SourceFile(displayName, path, prefix);
            diags.report(
                    DiagCode.E002,
                    at(shown, prefix.length()),
                    String.format("byte 0x%02X at offset %d", bytes[bad] & 0xff, bad));
            return Optional.empty();
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            SourceFile shown = new SourceFile(displayName, path, text);
            diags.report(DiagCode.E002, at(shown, nul), "NUL character at offset " + nul + "; is this a binary file?");
            return Optional.empty();
        }
        return Optional.of(new SourceFile(displayName, path, text));
    }

    private static Span at(SourceFile file, int offset) {
        String text = file.text();
        int line = 1;
        int col = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new Span(file, line, col, 1);
    }

    private static int firstInvalidUtf8(byte[] b) {
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xff;
            int n = c < 0x80
                    ? 0
                    : c >= 0xC2 && c < 0xE0 ? 1 : c >= 0xE0 && c < 0xF0 ? 2 : c >= 0xF0 && c < 0xF5 ? 3 : -1;
            if (n < 0 || i + n >= b.length) {
                return i;
            }
            for (int k = 1; k <= n; k++) {
                if ((b[i + k] & 0xC0) != 0x80) {
                    return i;
                }
            }
            i += n + 1;
        }
        return Math.max(0, b.length - 1);
    }
}
