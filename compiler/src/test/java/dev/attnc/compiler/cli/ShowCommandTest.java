package dev.attnc.compiler.cli;

import static dev.attnc.compiler.cli.CliRun.attnc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.runtime.io.Npy;
import dev.attnc.runtime.io.NpyArray;
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
    void scoreModifiersAreNamedUnderTheMask() throws IOException {
        String f = spec("mods.attn", "pattern m { head_dim 16  softcap 30.0  alibi  causal }");
        CliRun r = attnc("show", f, "--n", "4").exits(0);
        assertTrue(
                r.out().endsWith("scores: softcap 30.0  alibi slopes=bloom(H) (on the attended pairs; not drawn)\n"),
                r.out());
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
                        "32769",
                        "--svg",
                        dir.resolve("x.svg").toString())
                .exits(1);
        assertEquals("attnc: --n 32769 is too large (at most 32768) to draw\n", svg.err());
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

    /** BigBird-style: block 1 on n = 6, H = 2, a random block per query block from the layout. */
    private String bigbird() throws IOException {
        return spec("bb.attn", "pattern bb { head_dim 4 heads 2 block 1 window 1 blocks random blocks from input }\n");
    }

    private String layout(String name, int[] values, int... shape) throws IOException {
        Path p = dir.resolve(name + ".npy");
        Npy.write(p, NpyArray.ofInts(values, shape));
        return p.toString();
    }

    @Test
    void randomFromInputWithoutALayoutSaysTheRandomBlocksAreNotDrawn() throws IOException {
        CliRun r = attnc("show", bigbird(), "--n", "6").exits(0);
        assertEquals("attnc: note: random from input: no --layout given, random blocks not drawn\n", r.err());
        assertTrue(r.out().endsWith("\nb block window   . not attended\n"), r.out());
    }

    @Test
    void randomFromInputIsDrawnFromTheLayoutOfTheHead() throws IOException {
        // [H = 2, nb = 6, r = 1]: head 1's query block q picks key block 5 - q.
        int[] values = {0, 0, 0, 0, 0, 0, 5, 4, 3, 2, 1, 0};
        String f = layout("full", values, 2, 6, 1);
        CliRun r = attnc("show", bigbird(), "--n", "6", "--head", "1", "--layout", f)
                .exits(0);
        assertEquals("", r.err());
        // The diagonal block window (b) and the anti-diagonal from head 1's rows (r).
        assertEquals("""
                bb · n = 6 · layer 0, head 1 · density 33.33% (12 of 36 pairs)
                b....r
                .b..r.
                ..br..
                ..rb..
                .r..b.
                r....b
                b block window   r random   . not attended
                """, r.out());
    }

    @Test
    void huggingFaceLayoutsLeaveTheFirstAndLastQueryBlockOut() throws IOException {
        // [H = 2, nb - 2 = 4, r = 1]: rows for query blocks 1..4, each picking key block 5.
        int[] values = {5, 5, 5, 5, 5, 5, 5, 5};
        CliRun r = attnc("show", bigbird(), "--n", "6", "--layout", layout("hf", values, 2, 4, 1))
                .exits(0);
        assertEquals("", r.err());
        assertTrue(r.out().contains("\nb.....\n.b...r\n..b..r\n...b.r\n....br\n.....b\n"), r.out());
    }

    @Test
    void layoutsAreCheckedAsRunChecksThem() throws IOException {
        String f = bigbird();
        String bad = layout("bad", new int[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 0}, 2, 6, 1);
        CliRun r = attnc("show", f, "--n", "6", "--layout", bad).exits(1).noStackTrace();
        assertEquals(
                "attnc: --layout " + bad + ": row [1, 3] (head 1, query block 3) holds key block 6, outside 0..5\n",
                r.err());
        String shape = layout("shape", new int[6], 2, 3, 1);
        r = attnc("show", f, "--n", "6", "--layout", shape).exits(1).noStackTrace();
        assertEquals(
                "attnc: --layout " + shape + ": expected shape [2, 6, r] (heads, query blocks of 1, random blocks"
                        + " per row), or Hugging Face's [2, 4, r] (rows for query blocks 1..4), got [2, 3, 1]\n",
                r.err());
        Path floats = dir.resolve("floats.npy");
        Npy.write(floats, NpyArray.ofFloats(new float[12], 2, 6, 1));
        r = attnc("show", f, "--n", "6", "--layout", floats.toString()).exits(1).noStackTrace();
        assertEquals("attnc: --layout " + floats + ": expected int32 data, got float32\n", r.err());
        r = attnc("show", f, "--n", "6", "--layout", dir.resolve("none.npy").toString())
                .exits(1)
                .noStackTrace();
        assertEquals("attnc: input layout: no such file: " + dir.resolve("none.npy") + "\n", r.err());
    }

    @Test
    void aLayoutForAPatternWithoutRandomFromInputIsRefused() throws IOException {
        String l = layout("l", new int[8], 1, 8, 1);
        CliRun r = attnc("show", twoPatterns(), "--pattern", "lf", "--n", "8", "--layout", l)
                .exits(1)
                .noStackTrace();
        assertEquals("attnc: --layout " + l + ": pattern 'lf' has no 'random from input' term to draw\n", r.err());
    }

    @Test
    void aMistralWindowIsDrawnPastTheWindow() throws IOException {
        String f = spec("mistral.attn", "pattern mistral { head_dim 128 causal & window 4095 before }\n");
        Path out = dir.resolve("m.svg");
        CliRun r = attnc("show", f, "--n", "8192", "--svg", out.toString()).exits(0);
        assertEquals("", r.err());
        // Row q attends min(q + 1, 4096) keys: 4096·4097/2 + 4096·4096 pairs of 8192².
        long pairs = 4096L * 4097 / 2 + 4096L * 4096;
        assertEquals(
                "wrote " + out + " (mistral · n = 8192 · layer 0, head 0 · density 37.50% (" + pairs
                        + " of 67108864 pairs))\n",
                r.out());
        assertTrue(Files.readString(out).contains("data-tokens-per-cell=\"16\""));
    }

    @Test
    void helpStatesTheLimitsAndTheLayout() {
        String help = attnc("show", "--help").exits(0).out();
        assertTrue(help.contains("--svg; at most 256 as text, 32768 with --svg)"), help);
        assertTrue(
                help.contains("      --layout=FILE.npy   the random block layout of 'random from input', int32\n"),
                help);
    }

    @Test
    void withoutAHeadCountInTheSpecTheLayoutSetsIt() throws IOException {
        String f = spec("nh.attn", "pattern nh { head_dim 4 block 1 random blocks from input }\n");
        String l = layout("one", new int[] {1, 2, 3, 4, 5, 0}, 1, 6, 1);
        CliRun r = attnc("show", f, "--n", "6", "--head", "1", "--layout", l)
                .exits(1)
                .noStackTrace();
        assertEquals("attnc: --head 1 is out of range: --layout " + l + " has 1 heads (0..0)\n", r.err());
        r = attnc("show", f, "--n", "6", "--layout", l).exits(0);
        assertTrue(r.out().contains("\n.r....\n..r...\n...r..\n....r.\n.....r\nr.....\n"), r.out());
    }
}
