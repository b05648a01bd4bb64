package dev.attnc.compiler.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {

    @TempDir
    Path dir;

    @Test
    void writesTheWholeContentAndLeavesNoTemporaryFile() throws IOException {
        Path out = dir.resolve("a.svg");
        AtomicFile.write(out, w -> w.write("<svg/>"));
        assertEquals("<svg/>", Files.readString(out));
        assertEquals(List.of(out), list());
    }

    @Test
    void aFailureWhileWritingLeavesNoFile() throws IOException {
        Path out = dir.resolve("b.svg");
        assertThrows(
                IOException.class,
                () -> AtomicFile.write(out, w -> {
                    w.write("<svg>half");
                    w.flush();
                    throw new IOException("disk full");
                }));
        assertEquals(List.of(), list());
    }

    @Test
    void aFailureKeepsTheOldFileUntouched() throws IOException {
        Path out = dir.resolve("c.svg");
        Files.writeString(out, "old");
        assertThrows(
                IOException.class,
                () -> AtomicFile.write(out, w -> {
                    w.write("new, half");
                    throw new IOException("disk full");
                }));
        assertEquals("old", Files.readString(out));
        assertEquals(List.of(out), list());
    }

    @Test
    void aMissingDirectoryIsAnErrorAndCreatesNothing() {
        Path out = dir.resolve("no/such/dir/d.svg");
        IOException e = assertThrows(IOException.class, () -> AtomicFile.write(out, w -> w.write("x")));
        assertEquals("directory " + dir.resolve("no/such/dir") + " does not exist", e.getMessage());
        assertFalse(Files.exists(dir.resolve("no")));
    }

    private List<Path> list() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
