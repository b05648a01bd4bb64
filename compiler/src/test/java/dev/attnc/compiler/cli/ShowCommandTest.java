package dev.attnc.compiler.cli;

import static dev.attnc.compiler.cli.CliRun.attnc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code attnc show}: choosing the pattern and checking options, before any mask is evaluated. */
class ShowCommandTest {

    @TempDir
    Path dir;

    private String spec(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p.toString();
    }

    private String twoPatterns() throws IOException {
        return spec("two.attn", """
                pattern lf {
                  head_dim 64
                  heads 4
                  layers 2
                  window 2 each side
                }
                pattern ff {
                  head_dim 16
                  additive
                }
                """);
    }

    @Test
    void severalPatternsNeedPatternAndTheErrorListsThem() throws IOException {
        String f = twoPatterns();
        CliRun r = attnc("show", f).exits(1).noStackTrace();
        assertEquals("attnc: " + f + " has 2 patterns; choose one with --pattern: lf, ff\n", r.err());
    }

    @Test
    void anUnknownPatternIsAUserErrorListingThePatterns() throws IOException {
        String f = twoPatterns();
        CliRun r = attnc("show", f, "--pattern", "bigbird").exits(1).noStackTrace();
        assertEquals("attnc: no pattern 'bigbird' in " + f + "; its patterns: lf, ff\n", r.err());
    }

    @Test
    void additivePatternsHaveNoMask() throws IOException {
        String f = twoPatterns();
        CliRun r = attnc("show", f, "--pattern", "ff").exits(1).noStackTrace();
        assertEquals(
                "attnc: pattern 'ff' uses additive attention (Fastformer): it pools over all tokens and has no"
                        + " attention mask to show\n",
                r.err());
    }

    @Test
    void textRefusesLongSequencesAndSuggestsSvg() throws IOException {
        CliRun r = attnc("show", twoPatterns(), "--pattern", "lf", "--n", "257")
                .exits(1)
                .noStackTrace();
        assertEquals(
                "attnc: --n 257 is too large (at most 256) to print as text; write a picture instead with"
                        + " --svg OUT.svg\n",
                r.err());
        CliRun svg = attnc(
                        "show",
                        twoPatterns(),
                        "--pattern",
                        "lf",
                        "--n",
                        "4097",
                        "--svg",
                        dir.resolve("x.svg").toString())
                .exits(1);
        assertEquals("attnc: --n 4097 is too large (at most 4096) to draw\n", svg.err());
        assertFalse(Files.exists(dir.resolve("x.svg")));
    }

    @Test
    void headAndLayerMustExistInThePattern() throws IOException {
        String f = twoPatterns();
        assertEquals(
                "attnc: --head 4 is out of range: the pattern has 4 heads (0..3)\n",
                attnc("show", f, "--pattern", "lf", "--head", "4").exits(1).err());
        assertEquals(
                "attnc: --layer 2 is out of range: the pattern has 2 layers (0..1)\n",
                attnc("show", f, "--pattern", "lf", "--layer", "2").exits(1).err());
    }

    @Test
    void globalPositionsMustLieInTheSequence() throws IOException {
        CliRun r = attnc("show", twoPatterns(), "--pattern", "lf", "--n", "8", "--global", "0,8")
                .exits(1);
        assertEquals("attnc: --global position 8 is outside the sequence (0..7)\n", r.err());
    }

    @Test
    void specErrorsAreReportedAndExitOne() throws IOException {
        String f = spec("bad.attn", "pattern p {\n  window 2\n}\n");
        CliRun r = attnc("show", f).exits(1).noStackTrace();
        assertTrue(r.err().startsWith(f + ":1:9: error[E022]: head_dim is missing"), r.err());
        assertEquals("", r.out());
    }
}
