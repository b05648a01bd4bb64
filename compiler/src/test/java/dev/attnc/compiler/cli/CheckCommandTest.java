package dev.attnc.compiler.cli;

import static dev.attnc.compiler.cli.CliRun.attnc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.ir.IrPrinter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {

    @TempDir
    Path dir;

    private String spec(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p.toString();
    }

    @Test
    void aMissingFileIsAUserErrorWithADiagnostic() {
        String missing = dir.resolve("nofile.attn").toString();
        CliRun r = attnc("check", missing).exits(1).noStackTrace();
        assertEquals(
                missing + ":1:1: error[E001]: cannot read file: no such file\n" + "attnc: 1 of 1 file has errors\n",
                r.err());
        assertEquals("", r.out());
    }

    @Test
    void warningsAloneAreShownAndExitZero() throws IOException {
        String f = spec("warn.attn", "pattern bb {\n  head_dim 64\n  block 16\n  random 2 blocks\n}\n");
        CliRun r = attnc("check", f).exits(0).noStackTrace();
        assertEquals(
                f + ":4:3: warning[W103]: random blocks have no seed; using seed 0\n"
                        + "      random 2 blocks\n      ^~~~~~~~~~~~~~~\n",
                r.err());
        assertTrue(r.out().startsWith(f + ": bb: head_dim 64; terms random(2, seed 0)"), r.out());
    }

    @Test
    void widenedUnionsAreWarningsAndExitZero() throws IOException {
        String f = spec(
                "widen.attn",
                "pattern m {\n  head_dim 64\n  causal window 16 before\n}\n"
                        + "pattern s {\n  head_dim 64\n  causal & window 8 before\n  global first 2 tokens\n}\n");
        CliRun r = attnc("check", f).exits(0).noStackTrace();
        assertTrue(r.err().startsWith(f + ":3:3: warning[W105]: "), r.err());
        assertTrue(r.err().contains("write 'causal & window 16 before'\n"), r.err());
        assertTrue(r.err().contains(f + ":8:3: warning[W106]: "), r.err());
        assertTrue(r.err().contains("write 'causal & (window 8 before | global first 2 tokens)'\n"), r.err());
        assertTrue(r.out().startsWith(f + ": m: head_dim 64;"), r.out());
        assertTrue(r.out().contains(f + ": s: head_dim 64;"), r.out());
    }

    @Test
    void syntaxErrorsAreReportedWithFileLineColumnAndCaret() throws IOException {
        String f = spec("syn.attn", "pattern a {\n  head_dim 64\n  dilation_x 2\n}\n");
        CliRun r = attnc("check", f).exits(1).noStackTrace();
        assertTrue(
                r.err()
                        .startsWith(f + ":3:3: error[E016]: unknown word 'dilation_x': not a setting or a mask term;"
                                + " did you mean 'dilation'?"),
                r.err());
        assertTrue(r.err().contains("\n      dilation_x 2\n      ^~~~~~~~~~\n"), r.err());
        assertTrue(r.err().endsWith("attnc: 1 of 1 file has errors\n"), r.err());
    }

    @Test
    void everyErrorOfEveryFileIsReportedAndGoodFilesStillSummarised() throws IOException {
        String bad1 = spec(
                "bad1.attn",
                "pattern a {\n  head_dim 64\n  head_dim 32\n  full\n}\n"
                        + "pattern b {\n  block 4\n  block 8\n  head_dim 16\n  full\n}\n");
        String good = spec("good.attn", "pattern dense {\n  head_dim 64\n  full\n}\n");
        String bad2 = spec("bad2.attn", "pattern c {\n  full\n}\n");
        CliRun r = attnc("check", bad1, good, bad2).exits(1).noStackTrace();
        assertTrue(
                r.err()
                        .contains(bad1 + ":3:3: error[E020]: 'head_dim' is set twice (first at " + bad1 + ":2:3)\n"
                                + "      head_dim 32\n      ^~~~~~~~~~~\n"),
                r.err());
        assertTrue(r.err().contains(bad1 + ":8:3: error[E020]: 'block' is set twice"), r.err());
        assertTrue(r.err().contains(bad2 + ":1:9: error[E022]: head_dim is missing"), r.err());
        assertTrue(r.err().endsWith("attnc: 2 of 3 files have errors\n"), r.err());
        assertTrue(r.out().startsWith(good + ": dense: head_dim 64; terms full; "), r.out());
        assertEquals(1, r.out().lines().count(), r.out());
    }

    @Test
    void aGoodFileExitsZeroWithOneSummaryLinePerPattern() throws IOException {
        String f = spec("ok.attn", """
                pattern local {
                  head_dim 64
                  causal & window 128 before
                }
                pattern pooled {
                  head_dim 16
                  additive
                }
                """);
        CliRun r = attnc("check", f).exits(0);
        assertEquals("", r.err());
        String[] lines = r.out().split("\n");
        assertEquals(2, lines.length, r.out());
        assertTrue(lines[0].startsWith(f + ": local: head_dim 64; terms causal & window(128,0); "), lines[0]);
        assertEquals(
                f + ": pooled: head_dim 16; additive (value shared, pooling matrix); no mask: cost linear in n",
                lines[1]);
    }

    @Test
    void dumpIrPrintsThePatternIrAfterEachSummary() throws IOException {
        String f = spec("ir.attn", "pattern lf {\n  head_dim 64\n  window 2 each side\n  global tokens [0]\n}\n");
        CliRun r = attnc("check", "--dump-ir", f).exits(0);
        Pipeline.Result compiled = Pipeline.compileFile(Path.of(f), f);
        String ir = IrPrinter.print(compiled.patterns().get(0));
        assertTrue(ir.contains("(window before=2 after=2 dilation=1)"), ir);
        assertTrue(r.out().endsWith("\n" + ir), r.out());
        assertTrue(r.out().startsWith(f + ": lf: head_dim 64; terms window(2,2) | global(0); "), r.out());
    }

    @Test
    void theSpecLibraryChecksClean() throws IOException {
        Path specs = Path.of(System.getProperty("attnc.specs.dir", "../specs"));
        String[] files;
        try (var s = Files.list(specs)) {
            files = s.filter(p -> p.toString().endsWith(".attn"))
                    .sorted()
                    .map(Path::toString)
                    .toArray(String[]::new);
        }
        assertTrue(files.length >= 6, "spec library at " + specs);
        String[] args = new String[files.length + 1];
        args[0] = "check";
        System.arraycopy(files, 0, args, 1, files.length);
        CliRun r = attnc(args).exits(0).noStackTrace();
        assertTrue(
                r.out()
                        .contains(": bigbird_itc: head_dim 64; terms block-window(1,1) | global(first 1 block, "
                                + "last 1 block) | random(3, seed 42); "),
                r.out());
    }

    @Test
    void summaryGivesDensityAndFlopsAtTheRequestedLength() throws IOException {
        String f = spec("d.attn", "pattern local {\n  head_dim 64\n  causal & window 2 before\n}\n");
        // Rows 0 and 1 attend 1 and 2 keys, every later row 3: 3n - 3 pairs, 4 * 64 FLOPs each.
        assertEquals(
                f + ": local: head_dim 64; terms causal & window(2,0); density 32.81% at n=8 (layer 0, head 0);"
                        + " FLOPs/head 5,376\n",
                attnc("check", "--n", "8", f).exits(0).out());
        assertEquals(
                f + ": local: head_dim 64; terms causal & window(2,0); density <0.01% at n=100000 (layer 0, head 0);"
                        + " FLOPs/head 76,799,232\n",
                attnc("check", "--n", "100000", f).exits(0).out());
    }

    @Test
    void theSummaryAndTheIrNameTheScoreModifiers() throws IOException {
        String f = spec(
                "mods.attn",
                "pattern m { head_dim 16  heads 2  scale [0.5, 0.25] per head  softcap 30.0"
                        + "  alibi [0.5, 0.25] per head  causal }\n");
        CliRun r = attnc("check", f, "--dump-ir").exits(0).noStackTrace();
        assertTrue(
                r.out()
                        .contains("m: head_dim 16; terms causal; scores scale [0.5,0.25]/head  softcap 30.0"
                                + "  alibi slopes=[0.5,0.25]/head; density"),
                r.out());
        assertTrue(
                r.out().contains("\n  scores scale [0.5,0.25]/head  softcap 30.0  alibi slopes=[0.5,0.25]/head\n"),
                r.out());
    }
}
