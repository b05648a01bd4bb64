package dev.attnc.compiler.source;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The text of one spec file and where it came from. Line starts are indexed once, so that
 * diagnostics can print the line under a caret in O(line length).
 */
public final class SourceFile {

    private final String name;
    private final Path path;
    private final String text;
    private final int[] lineStarts;

    /**
     * @param name the name shown in diagnostics (as the user wrote it on the command line)
     * @param path the file on disk, or {@code null} for text that did not come from a file
     * @param text the whole text
     */
    public SourceFile(String name, Path path, String text) {
        this.name = Objects.requireNonNull(name, "name");
        this.path = path;
        this.text = Objects.requireNonNull(text, "text");
        int count = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                count++;
            }
        }
        int[] starts = new int[count];
        int k = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                starts[k++] = i + 1;
            }
        }
        this.lineStarts = starts;
    }

    /** A spec that lives only in memory (tests, the runtime compile API). */
    public static SourceFile ofString(String name, String text) {
        return new SourceFile(name, null, text);
    }

    public String name() {
        return name;
    }

    public Path path() {
        return path;
    }

    public String text() {
        return text;
    }

    /** The text of 1-based line {@code line}, without its line terminator; empty past the end. */
    public String line(int line) {
        if (line < 1 || line > lineStarts.length) {
            return "";
        }
        int start = lineStarts[line - 1];
        int end = line < lineStarts.length ? lineStarts[line] - 1 : text.length();
        String s = text.substring(start, end);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * At most {@code maxChars} characters of 1-based {@code line}, from 1-based column
     * {@code fromColumn}, without copying the rest of a long line.
     */
    public String slice(int line, int fromColumn, int maxChars) {
        if (line < 1 || line > lineStarts.length) {
            return "";
        }
        int start = lineStarts[line - 1];
        int end = line < lineStarts.length ? lineStarts[line] - 1 : text.length();
        if (end > start && text.charAt(end - 1) == '\r') {
            end--;
        }
        int from = Math.min(end, start + Math.max(0, fromColumn - 1));
        return text.substring(from, Math.min(end, from + Math.max(0, maxChars)));
    }

    @Override
    public String toString() {
        return name;
    }
}
