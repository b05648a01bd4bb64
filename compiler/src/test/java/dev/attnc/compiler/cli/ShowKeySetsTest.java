package dev.attnc.compiler.cli;

import static dev.attnc.compiler.cli.CliRun.attnc;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code attnc show} draws key and query sets ({@code s}), the run-time prefix from
 * {@code --prefix-len} or n / 2 with a note; the option is refused for a pattern without such
 * a set and checked against the length.
 */
class ShowKeySetsTest {

    @TempDir
    Path dir;

    private String spec() throws IOException {
        Path p = dir.resolve("prefix.attn");
        Files.writeString(p, """
                pattern prefix { head_dim 8  causal | keys from input & queries from input }
                pattern sinks { head_dim 8  causal & (window 1 before | keys [0]) }
                """);
        return p.toString();
    }

    @Test
    void theRunTimePrefixIsDrawnFromTheOptionOrHalfTheLength() throws IOException {
        String f = spec();
        CliRun r = attnc("show", f, "--pattern", "prefix", "--n", "6", "--prefix-len", "3")
                .exits(0)
                .noStackTrace();
        assertEquals("""
                prefix · n = 6 · layer 0, head 0 · density 66.67% (24 of 36 pairs)
                sss...
                sss...
                sss...
                cccc..
                ccccc.
                cccccc
                s keys/queries set   c causal   . not attended
                """, r.out());
        r = attnc("show", f, "--pattern", "prefix", "--n", "4").exits(0).noStackTrace();
        assertEquals(
                "attnc: note: keys/queries from input: no --prefix-len given, drawn with prefix n / 2 = 2\n", r.err());
    }

    @Test
    void sinksAreDrawnAsKeySets() throws IOException {
        CliRun r =
                attnc("show", spec(), "--pattern", "sinks", "--n", "5").exits(0).noStackTrace();
        assertEquals("""
                sinks · n = 5 · layer 0, head 0 · density 48.00% (12 of 25 pairs)
                s....
                sw...
                sww..
                s.ww.
                s..ww
                s keys/queries set   w window   . not attended
                """, r.out());
    }

    @Test
    void prefixLenIsRefusedWhereUnusedAndCheckedAgainstTheLength() throws IOException {
        String f = spec();
        CliRun r = attnc("show", f, "--pattern", "sinks", "--prefix-len", "2")
                .exits(1)
                .noStackTrace();
        assertEquals(
                "attnc: --prefix-len 2: pattern 'sinks' has no 'keys from input' or 'queries from input' set to draw\n",
                r.err());
        r = attnc("show", f, "--pattern", "prefix", "--n", "8", "--prefix-len", "9")
                .exits(1)
                .noStackTrace();
        assertEquals("attnc: --prefix-len 9 is outside 0..8 (the sequence length)\n", r.err());
    }
}
