package dev.attnc.compiler.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.compiler.Pipeline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input that is not a spec at all gets one clear diagnostic, never an exception or a stack overflow. */
class PathologicalInputTest {

    @TempDir
    Path dir;

    private Pipeline.Result compile(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return Pipeline.compileFile(f, name);
    }

    private static String firstLine(Pipeline.Result r) {
        assertFalse(r.ok(), "expected an error");
        assertTrue(r.patterns().isEmpty());
        return r.diagnostics().sorted().get(0).toString();
    }

    @Test
    void missingFile() {
        Pipeline.Result r = Pipeline.compileFile(dir.resolve("nope.attn"), "nope.attn");
        assertEquals("nope.attn:1:1: error[E001]: cannot read file: no such file", firstLine(r));
        assertEquals(
                "nope.attn:1:1: error[E001]: cannot read file: no such file\n",
                r.diagnostics().render());
    }

    @Test
    void directory() {
        assertEquals(
                "d:1:1: error[E001]: cannot read file: it is a directory", firstLine(Pipeline.compileFile(dir, "d")));
    }

    @Test
    void pngHeader() throws IOException {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};
        assertEquals(
                "x.png:1:1: error[E002]: file is not UTF-8 text (byte 0x89 at offset 0)",
                firstLine(compile("x.png", png)));
    }

    @Test
    void nulBytesInOtherwiseValidText() throws IOException {
        byte[] text = "pattern p {\n  head\0_dim 64 }".getBytes(StandardCharsets.UTF_8);
        assertEquals(
                "n.attn:2:7: error[E002]: file is not UTF-8 text (NUL character at offset 18; is this a binary file?)",
                firstLine(compile("n.attn", text)));
    }

    @Test
    void randomBinaryGarbage() throws IOException {
        Random rnd = new Random(1);
        for (int i = 0; i < 50; i++) {
            byte[] b = new byte[1 + rnd.nextInt(4000)];
            rnd.nextBytes(b);
            Pipeline.Result r = compile("g" + i + ".bin", b);
            assertFalse(r.ok());
            assertTrue(r.diagnostics().errorCount() >= 1);
        }
    }

    @Test
    void asciiGarbageStopsAfterAHundredErrors() throws IOException {
        byte[] b = "$%^ ".repeat(5000).getBytes(StandardCharsets.US_ASCII);
        Pipeline.Result r = compile("junk.attn", b);
        assertEquals(Diagnostics.MAX_ERRORS + 1, r.diagnostics().sorted().size());
        assertTrue(r.diagnostics().isTruncated());
        assertEquals(
                "junk.attn:1:1: error[E008]: too many errors; stopped after 100",
                r.diagnostics().sorted().get(Diagnostics.MAX_ERRORS).toString().replaceFirst(":\\d+:\\d+:", ":1:1:"));
    }

    @Test
    void tenThousandNestedParentheses() throws IOException {
        String spec = "pattern p { head_dim 64 " + "(".repeat(10_000) + "causal" + ")".repeat(10_000) + " }";
        assertEquals(
                "deep.attn:1:89: error[E006]: nesting is too deep: more than 64 open parentheses (simplify the expression)",
                firstLine(compile("deep.attn", spec.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aFiftyThousandTermUnionCompiles() throws IOException {
        StringBuilder sb = new StringBuilder("pattern p { head_dim 64 layers 1\n window 1");
        for (int i = 0; i < 50_000; i++) {
            sb.append(i % 2 == 0 ? " | causal" : " | window 1");
        }
        sb.append(" }\n");
        Pipeline.Result r = compile("long.attn", sb.toString().getBytes(StandardCharsets.UTF_8));
        assertTrue(
                r.ok(), () -> r.diagnostics().render().lines().limit(3).toList().toString());
        assertEquals(1, r.patterns().size());
    }

    @Test
    void aFiftyThousandTermUnionWarnsAtTheFirstRepeatedTerm() throws IOException {
        StringBuilder sb = new StringBuilder("pattern p { head_dim 64\n window 1");
        for (int i = 0; i < 50_000; i++) {
            sb.append(i % 2 == 0 ? " | causal" : " | window 1");
        }
        sb.append(" }\n");
        Pipeline.Result r = compile("chain.attn", sb.toString().getBytes(StandardCharsets.UTF_8));
        assertTrue(r.ok());
        assertEquals(49_999, r.diagnostics().sorted().size()); // every repeat of either term
        assertEquals(
                "chain.attn:2:22: warning[W102]: this term is contained in 'window 1' and adds nothing to the union",
                r.diagnostics().sorted().get(0).toString());
    }

    @Test
    void aHugeNumber() throws IOException {
        String spec = "pattern p {\n  head_dim 64\n  window " + "9".repeat(10_000) + "\n}\n";
        String first = firstLine(compile("huge.attn", spec.getBytes(StandardCharsets.UTF_8)));
        assertTrue(first.startsWith("huge.attn:3:10: error[E007]: number 9999"), first);
        assertTrue(first.endsWith("is too large (the limit is 1073741824)"), first);
    }

    @Test
    void aChainOfFortyDiamondsOfReferencesCompilesInLinearTime() throws IOException {
        // p0 uses p1 twice, p1 uses p2 twice, …: following every reference path is 2^40 work.
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            sb.append("pattern p")
                    .append(i)
                    .append(" { head_dim 64  p")
                    .append(i + 1)
                    .append(" & causal | p")
                    .append(i + 1)
                    .append(" & window 4 }\n");
        }
        sb.append("pattern p40 { head_dim 64 heads 2 window 2 }\n");
        Pipeline.Result r = assertTimeoutPreemptively(
                Duration.ofSeconds(20),
                () -> compile("diamonds.attn", sb.toString().getBytes(StandardCharsets.UTF_8)));
        assertTrue(r.ok(), () -> r.diagnostics().render());
        assertEquals(41, r.patterns().size());
        assertEquals(2, r.patterns().get(0).heads().getAsInt());
    }

    @Test
    void aFileOverTheSizeLimit() throws IOException {
        byte[] big = new byte[5 << 20];
        Arrays.fill(big, (byte) ' ');
        assertEquals(
                "big.attn:1:1: error[E003]: file is too large: 5242880 bytes (the limit is 4194304 bytes)",
                firstLine(compile("big.attn", big)));
    }

    @Test
    void emptyFileIsFineAndHasNoPatterns() throws IOException {
        Pipeline.Result r = compile("empty.attn", new byte[0]);
        assertTrue(r.ok());
        assertTrue(r.patterns().isEmpty());
    }
}
