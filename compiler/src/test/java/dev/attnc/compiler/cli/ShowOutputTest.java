package dev.attnc.compiler.cli;

import static dev.attnc.compiler.cli.CliRun.attnc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code attnc show} end to end: the text mask of a real spec, and writes that fail. */
class ShowOutputTest {

    @TempDir
    Path dir;

    private String spec(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p.toString();
    }

    @Test
    void textMaskOfASmallLongformerPattern() throws IOException {
        String f = spec("lf.attn", "pattern lf {\n  head_dim 64\n  window 1 each side\n  global tokens [0, -1]\n}\n");
        CliRun r = attnc("show", f, "--n", "8").exits(0);
        assertEquals("", r.err());
        // Worked out by hand: rows 0 and 7 are global; every other row attends keys 0 and 7
        // and its neighbours (global drawn over window).
        assertEquals("""
                lf · n = 8 · layer 0, head 0 · density 68.75% (44 of 64 pairs)
                gggggggg
                gww....g
                gwww...g
                g.www..g
                g..www.g
                g...wwwg
                g....wwg
                gggggggg
                g global   w window   . not attended
                """, r.out());
    }

    @Test
    void textMaskOfADilatedCausalPattern() throws IOException {
        String f = spec("d.attn", "pattern d {\n  head_dim 64\n  causal & window 2 before dilation 2\n}\n");
        assertEquals("""
                d · n = 6 · layer 0, head 0 · density 33.33% (12 of 36 pairs)
                w.....
                .w....
                w.w...
                .w.w..
                w.w.w.
                .w.w.w
                w window   . not attended
                """, attnc("show", f, "--n", "6").exits(0).out());
    }

    @Test
    void aFailedWriteLeavesNoFile() throws IOException {
        String f = spec("w.attn", "pattern w {\n  head_dim 64\n  window 1\n}\n");
        Path missingDir = dir.resolve("missing");
        CliRun r = attnc(
                        "show",
                        f,
                        "--n",
                        "16",
                        "--svg",
                        missingDir.resolve("w.svg").toString())
                .exits(1)
                .noStackTrace();
        assertEquals(
                "attnc: cannot write " + missingDir.resolve("w.svg") + ": directory " + missingDir
                        + " does not exist\n",
                r.err());
        assertFalse(Files.exists(missingDir));

        Path isDir = Files.createDirectory(dir.resolve("out.svg"));
        CliRun onDir = attnc("show", f, "--n", "16", "--svg", isDir.toString())
                .exits(1)
                .noStackTrace();
        assertEquals("attnc: cannot write " + isDir + ": it is a directory\n", onDir.err());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(
                    List.of("out.svg", "w.attn"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary file is left behind");
        }
        try (Stream<Path> files = Files.list(isDir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void aWriteReplacesAnOlderPicture() throws IOException {
        String f = spec("w.attn", "pattern w {\n  head_dim 64\n  window 1\n}\n");
        Path out = dir.resolve("w.svg");
        Files.writeString(out, "old");
        attnc("show", f, "--n", "16", "--svg", out.toString()).exits(0);
        assertTrue(Files.readString(out).startsWith("<?xml"), "replaced");
    }
}
