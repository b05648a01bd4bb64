package dev.attnc.compiler.source;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The text of one spec file and where it came from. Lines are split once, so that
 * diagnostics can print the line under a caret.
 *
 * @param name the name shown in diagnostics (as the user wrote it on the command line)
 * @param path the file on disk, or {@code null} for text that did not come from a file
 * @param text the whole text
 */
public record SourceFile(String name, Path path, String text) {

    public SourceFile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(text, "text");
    }

    /** A spec that lives only in memory (tests, the runtime compile API). */
    public static SourceFile ofString(String name, String text) {
        return new SourceFile(name, null, text);
    }

    /** The text of 1-based line {@code line}, without its line terminator; empty past the end. */
    public String line(int line) {
        List<String> lines = lines();
        return line >= 1 && line <= lines.size() ? lines.get(line - 1) : "";
    }

    private List<String> lines() {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                out.add(stripCr(text.substring(start, i)));
                start = i + 1;
            }
        }
        out.add(stripCr(text.substring(start)));
        return out;
    }

    private static String stripCr(String s) {
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
