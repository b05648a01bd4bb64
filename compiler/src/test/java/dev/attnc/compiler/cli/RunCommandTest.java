package dev.attnc.compiler.cli;

import static dev.attnc.compiler.cli.CliRun.attnc;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.compiler.cuda.EmuToolchain;
import dev.attnc.runtime.io.Npy;
import dev.attnc.runtime.io.NpyArray;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code attnc run} end to end, with both backends: .npy inputs in, .npy output out, compared
 * with what NumPy computed for the same inputs (src/test/resources/run/make_fixtures.py).
 * Tolerance: 2e-6 absolute + 2e-6 relative for the reference (float32 outputs of double
 * computations), 2e-5 + 2e-5 relative for the generated Java kernel (fp32 arithmetic).
 */
class RunCommandTest {

    @TempDir
    Path dir;

    private static String res(String name) {
        try {
            return Path.of(RunCommandTest.class.getResource("/run/" + name).toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertClose(String expectedFixture, Path actual, String backend) throws IOException {
        double tol = backend.equals("reference") ? 2e-6 : 2e-5;
        NpyArray want = Npy.read(Path.of(res(expectedFixture)));
        NpyArray got = Npy.read(actual);
        assertArrayEquals(want.shape(), got.shape());
        float[] w = want.floats();
        float[] g = got.floats();
        for (int i = 0; i < w.length; i++) {
            assertEquals(w[i], g[i], tol + tol * Math.abs(w[i]), "element " + i);
        }
    }

    @Test
    void theJavaBackendTakesAScheduleTunedOnThisMachineUnlessOneIsGiven() throws Exception {
        Path cacheFile = dir.resolve("schedules.txt");
        String text = Files.readString(Path.of(res("specs.attn")));
        dev.attnc.compiler.ir.PatternIR p = dev.attnc.compiler.Pipeline.compileSource(
                        dev.attnc.compiler.source.SourceFile.ofString("specs.attn", text))
                .pattern("dense")
                .orElseThrow();
        new dev.attnc.compiler.tune.ScheduleCache(cacheFile)
                .put(
                        dev.attnc.compiler.tune.MachineKey.current(),
                        dev.attnc.compiler.tune.PatternKey.of(p),
                        new dev.attnc.compiler.schedule.Schedule(16, 32, 1, 4, 1, 128));
        String old = System.getProperty(dev.attnc.compiler.tune.ScheduleCache.PROPERTY);
        System.setProperty(dev.attnc.compiler.tune.ScheduleCache.PROPERTY, cacheFile.toString());
        try {
            Path out = dir.resolve("tuned.npy");
            String[] args = {
                "run",
                res("specs.attn"),
                "--backend",
                "java",
                "--pattern",
                "dense",
                "--verbose",
                "-i",
                "q=" + res("q.npy"),
                "-i",
                "k=" + res("k.npy"),
                "-i",
                "v=" + res("v.npy"),
                "-o",
                out.toString()
            };
            CliRun tuned = attnc(args).exits(0).noStackTrace();
            assertTrue(
                    tuned.err()
                            .contains("schedule of dense from the tuning cache " + cacheFile + ": qtile=16 ktile=32"),
                    tuned.err());
            assertClose("expected_dense.npy", out, "java, tuned schedule");

            String[] explicit = java.util.Arrays.copyOf(args, args.length + 1);
            explicit[args.length] = "--schedule=qtile=32";
            CliRun given = attnc(explicit).exits(0).noStackTrace();
            assertFalse(given.err().contains("tuning cache"), given.err());
            assertClose("expected_dense.npy", out, "java, explicit schedule");
        } finally {
            if (old == null) {
                System.clearProperty(dev.attnc.compiler.tune.ScheduleCache.PROPERTY);
            } else {
                System.setProperty(dev.attnc.compiler.tune.ScheduleCache.PROPERTY, old);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "java", "cuda-emu"})
    void denseAttentionMatchesNumPy(String backend) throws IOException {
        assumeEmulator(backend);
        Path out = dir.resolve("out.npy");
        attnc(
                        "run",
                        res("specs.attn"),
                        "--backend",
                        backend,
                        "--pattern",
                        "dense",
                        "-i",
                        "q=" + res("q.npy"),
                        "-i",
                        "k=" + res("k.npy"),
                        "-i",
                        "v=" + res("v.npy"),
                        "-o",
                        out.toString())
                .exits(0)
                .noStackTrace();
        assertClose("expected_dense.npy", out, backend);
    }

    @Test
    void verboseReportsTheOpenAndCallTimes() throws IOException {
        Path out = dir.resolve("out.npy");
        CliRun r = attnc(
                        "run",
                        res("specs.attn"),
                        "--backend",
                        "java",
                        "--pattern",
                        "dense",
                        "--verbose",
                        "-i",
                        "q=" + res("q.npy"),
                        "-i",
                        "k=" + res("k.npy"),
                        "-i",
                        "v=" + res("v.npy"),
                        "-o",
                        out.toString())
                .exits(0)
                .noStackTrace();
        org.junit.jupiter.api.Assertions.assertTrue(
                r.err()
                        .matches("(?s)attnc: dense: B=2 H=2 L=9 D=4 \\(layout bhld\\)\n"
                                + "attnc: dense on java: opened in [0-9.]+ ms, one call [0-9.]+ ms\n.*"),
                r.err());
        assertClose("expected_dense.npy", out, "java");
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "java", "cuda-emu"})
    void windowGlobalAndPaddingMatchNumPy(String backend) throws IOException {
        assumeEmulator(backend);
        Path out = dir.resolve("out.npy");
        attnc(
                        "run",
                        res("specs.attn"),
                        "--backend",
                        backend,
                        "--pattern",
                        "local",
                        "-i",
                        "q=" + res("q.npy"),
                        "-i",
                        "k=" + res("k.npy"),
                        "-i",
                        "v=" + res("v.npy"),
                        "-i",
                        "key_valid=" + res("key_valid.npy"),
                        "-o",
                        out.toString())
                .exits(0)
                .noStackTrace();
        assertClose("expected_window.npy", out, backend);
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "java", "cuda-emu"})
    void tokenMajorInputsMatchNumPy(String backend) throws IOException {
        assumeEmulator(backend);
        Path out = dir.resolve("out.npy");
        attnc(
                        "run",
                        res("specs.attn"),
                        "--backend",
                        backend,
                        "--pattern",
                        "dense",
                        "--layout",
                        "blhd",
                        "--heads",
                        "2",
                        "-i",
                        "q=" + res("q_blhd.npy"),
                        "-i",
                        "k=" + res("k_blhd.npy"),
                        "-i",
                        "v=" + res("v_blhd.npy"),
                        "-o",
                        out.toString())
                .exits(0)
                .noStackTrace();
        assertClose("expected_dense_blhd.npy", out, backend);
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "java", "cuda-emu"})
    void fastformerMatchesNumPy(String backend) throws IOException {
        assumeEmulator(backend);
        Path out = dir.resolve("out.npy");
        attnc(
                        "run",
                        res("specs.attn"),
                        "--backend",
                        backend,
                        "--pattern",
                        "fast",
                        "-i",
                        "q=" + res("q_blhd.npy"),
                        "-i",
                        "k=" + res("k_blhd.npy"),
                        "-i",
                        "W_qa=" + res("W_qa.npy"),
                        "-i",
                        "b_qa=" + res("b_qa.npy"),
                        "-i",
                        "W_ka=" + res("W_ka.npy"),
                        "-i",
                        "b_ka=" + res("b_ka.npy"),
                        "-i",
                        "W_r=" + res("W_r.npy"),
                        "-i",
                        "b_r=" + res("b_r.npy"),
                        "-o",
                        out.toString())
                .exits(0)
                .noStackTrace();
        assertClose("expected_fastformer.npy", out, backend);
    }

    @Test
    void missingAndMismatchedInputsAreUserErrors() {
        String out = dir.resolve("out.npy").toString();
        CliRun r = attnc(
                        "run",
                        res("specs.attn"),
                        "--backend",
                        "java",
                        "--pattern",
                        "dense",
                        "-i",
                        "q=" + res("q.npy"),
                        "-i",
                        "k=" + res("k.npy"),
                        "-o",
                        out)
                .exits(1)
                .noStackTrace();
        assertEquals("attnc: input v is missing: softmax attention needs -i v=FILE.npy\n", r.err());
        r = attnc(
                        "run",
                        res("specs.attn"),
                        "--backend",
                        "java",
                        "--pattern",
                        "dense",
                        "-i",
                        "q=" + res("q.npy"),
                        "-i",
                        "k=" + res("q_blhd.npy"),
                        "-i",
                        "v=" + res("v.npy"),
                        "-o",
                        out)
                .exits(1)
                .noStackTrace();
        assertEquals(
                "attnc: input k: expected shape [2, 2, 9, 4] (the shape of q, or [2, G, 9, 4] with G kv heads dividing 2),"
                        + " got [2, 9, 8]\n",
                r.err());
        r = attnc(
                        "run",
                        res("specs.attn"),
                        "--backend",
                        "java",
                        "--pattern",
                        "dense",
                        "-i",
                        "query=" + res("q.npy"),
                        "-o",
                        out)
                .exits(1)
                .noStackTrace();
        assertTrue(r.err().startsWith("attnc: unknown input 'query'; the inputs are: q k v"), r.err());
        r = attnc(
                        "run",
                        res("specs.attn"),
                        "--backend",
                        "java",
                        "--pattern",
                        "dense",
                        "-i",
                        "q=" + dir.resolve("nope.npy"),
                        "-i",
                        "k=" + res("k.npy"),
                        "-i",
                        "v=" + res("v.npy"),
                        "-o",
                        out)
                .exits(1)
                .noStackTrace();
        assertEquals("attnc: input q: no such file: " + dir.resolve("nope.npy") + "\n", r.err());
        r = attnc(
                        "run",
                        res("specs.attn"),
                        "--backend",
                        "java",
                        "--pattern",
                        "local",
                        "-i",
                        "q=" + res("q.npy"),
                        "-i",
                        "k=" + res("k.npy"),
                        "-i",
                        "v=" + res("v.npy"),
                        "-i",
                        "key_valid=" + res("q.npy"),
                        "-o",
                        out)
                .exits(1)
                .noStackTrace();
        assertEquals(
                "attnc: input key_valid: expected shape [2, 9] ([B, L] mask) or [2] ([B] lengths), got [2, 2, 9, 4]\n",
                r.err());
        r = attnc(
                        "run",
                        res("specs.attn"),
                        "--backend",
                        "java",
                        "--pattern",
                        "fast",
                        "-i",
                        "q=" + res("q_blhd.npy"),
                        "-i",
                        "k=" + res("k_blhd.npy"),
                        "-i",
                        "v=" + res("v_blhd.npy"),
                        "-i",
                        "W_qa=" + res("W_qa.npy"),
                        "-i",
                        "W_ka=" + res("W_ka.npy"),
                        "-o",
                        out)
                .exits(1)
                .noStackTrace();
        assertTrue(r.err().startsWith("attnc: input v: pattern fast shares the value with the query"), r.err());
        assertFalse(Files.exists(Path.of(out)), "no output after a failure");
    }

    @Test
    void kernelArgumentErrorsAreUserErrors() {
        String out = dir.resolve("out.npy").toString();
        CliRun r = attnc(
                        "run",
                        res("specs.attn"),
                        "--backend",
                        "java",
                        "--pattern",
                        "dense",
                        "--schedule",
                        "qtile=0",
                        "-i",
                        "q=" + res("q.npy"),
                        "-i",
                        "k=" + res("k.npy"),
                        "-i",
                        "v=" + res("v.npy"),
                        "-o",
                        out)
                .exits(1)
                .noStackTrace();
        assertEquals("attnc: --schedule: schedule qtile=0 is outside 1..1024\n", r.err());
        assertFalse(Files.exists(Path.of(out)), "no output after a failure");
    }

    @Test
    void optionErrorsNameTheFlags() {
        String out = dir.resolve("out.npy").toString();
        CliRun r = attnc(
                        "run",
                        res("specs.attn"),
                        "--pattern",
                        "dense",
                        "--layout",
                        "blhd",
                        "-i",
                        "q=" + res("q_blhd.npy"),
                        "-i",
                        "k=" + res("k_blhd.npy"),
                        "-i",
                        "v=" + res("v_blhd.npy"),
                        "-o",
                        out)
                .exits(1)
                .noStackTrace();
        assertEquals("attnc: token-major inputs [B, L, H*D] need the head count: give --heads H\n", r.err());
        r = attnc(
                        "run",
                        res("specs.attn"),
                        "--pattern",
                        "dense",
                        "--layer",
                        "-1",
                        "-i",
                        "q=" + res("q.npy"),
                        "-i",
                        "k=" + res("k.npy"),
                        "-i",
                        "v=" + res("v.npy"),
                        "-o",
                        out)
                .exits(1)
                .noStackTrace();
        assertEquals("attnc: --layer -1 is out of range\n", r.err());
        r = attnc(
                        "run",
                        res("specs.attn"),
                        "--pattern",
                        "dense",
                        "--layer",
                        "1",
                        "-i",
                        "q=" + res("q.npy"),
                        "-i",
                        "k=" + res("k.npy"),
                        "-i",
                        "v=" + res("v.npy"),
                        "-o",
                        out)
                .exits(1)
                .noStackTrace();
        assertEquals(
                "attnc: --layer applies to patterns with 'layers N' (per-layer settings); pattern dense is the same in"
                        + " every layer: drop --layer\n",
                r.err());
        assertFalse(Files.exists(Path.of(out)), "nothing is written when an option is refused");
        r = attnc(
                        "run",
                        res("specs.attn"),
                        "--pattern",
                        "fast",
                        "--layout",
                        "bhld",
                        "-i",
                        "q=" + res("q_blhd.npy"),
                        "-i",
                        "k=" + res("k_blhd.npy"),
                        "-i",
                        "W_qa=" + res("W_qa.npy"),
                        "-i",
                        "W_ka=" + res("W_ka.npy"),
                        "-o",
                        out)
                .exits(1)
                .noStackTrace();
        assertEquals("attnc: additive patterns take token-major inputs [B, L, H*D]; drop --layout bhld\n", r.err());
        assertFalse(Files.exists(Path.of(out)), "no output after a failure");
    }

    private static void assumeEmulator(String backend) {
        if (backend.equals("cuda-emu")) {
            Assumptions.assumeTrue(
                    EmuToolchain.unavailableReason().isEmpty(),
                    () -> EmuToolchain.unavailableReason().get());
        }
    }

    @Test
    void cudaEmuRunsHalfPrecisionAndRefusesBadDtypes() throws IOException {
        assumeEmulator("cuda-emu");
        Path out = dir.resolve("out16.npy");
        CliRun ran = attnc(
                        "run",
                        res("specs.attn"),
                        "--backend",
                        "cuda-emu",
                        "--dtype",
                        "f16",
                        "--pattern",
                        "dense",
                        "-i",
                        "q=" + res("q.npy"),
                        "-i",
                        "k=" + res("k.npy"),
                        "-i",
                        "v=" + res("v.npy"),
                        "-o",
                        out.toString())
                .exits(0)
                .noStackTrace();
        assertTrue(
                ran.err().matches("attnc: dense.cu for the CPU emulator: built once, cached in [^)\n]+\n"), ran.err());
        float[] w = Npy.read(Path.of(res("expected_dense.npy"))).floats();
        float[] g = Npy.read(out).floats();
        for (int i = 0; i < w.length; i++) {
            assertEquals(w[i], g[i], 1e-2 + 1e-2 * Math.abs(w[i]), "fp16 element " + i); // inputs rounded to 11 bits
        }
        CliRun r = attnc(
                        "run",
                        res("specs.attn"),
                        "--backend",
                        "cuda-emu",
                        "--dtype",
                        "f8",
                        "--pattern",
                        "dense",
                        "-i",
                        "q=" + res("q.npy"),
                        "-i",
                        "k=" + res("k.npy"),
                        "-i",
                        "v=" + res("v.npy"),
                        "-o",
                        out.toString())
                .exits(1)
                .noStackTrace();
        assertTrue(r.err().contains("--dtype 'f8': use f32, f16 or bf16"), r.err());
    }

    @Test
    void anUnknownBackendIsRefusedWithTheChoices() {
        // A bad option value is a user error (exit 1), as the exit-code footer documents.
        CliRun r = attnc("run", res("specs.attn"), "--backend", "cuda", "-i", "q=x", "-o", "y")
                .exits(1)
                .noStackTrace();
        assertTrue(r.err().contains("'cuda' is not a backend; use java, cuda-emu or reference"), r.err());
    }

    /** {@code attnc run … --pattern P -i q -i k -i v} plus {@code extra}, into {@code out.npy}. */
    private CliRun runQkv(String pattern, String... extra) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
                "run",
                res("specs.attn"),
                "--pattern",
                pattern,
                "-i",
                "q=" + res("q.npy"),
                "-i",
                "k=" + res("k.npy"),
                "-i",
                "v=" + res("v.npy"),
                "-o",
                dir.resolve("out.npy").toString()));
        args.addAll(java.util.List.of(extra));
        return attnc(args.toArray(String[]::new));
    }

    @Test
    void inputsThePatternDoesNotReadAreRefusedByName() {
        CliRun r = runQkv("local", "-i", "global_mask=" + res("key_valid.npy"))
                .exits(1)
                .noStackTrace();
        assertEquals("attnc: input global_mask: pattern local has no 'global from input' term to use it\n", r.err());
        r = runQkv("dense", "-i", "qg=" + res("q.npy"), "-i", "kg=" + res("k.npy"), "-i", "vg=" + res("v.npy"))
                .exits(1)
                .noStackTrace();
        assertEquals("attnc: input qg: pattern dense has no 'global' term whose rows it would feed\n", r.err());
        r = runQkv("dense", "-i", "layout=" + res("key_valid.npy")).exits(1).noStackTrace();
        assertEquals("attnc: input layout: pattern dense has no 'random from input' term to use it\n", r.err());
        r = runQkv("dense", "-i", "W_qa=" + res("W_qa.npy")).exits(1).noStackTrace();
        assertEquals("attnc: input W_qa does not apply to a softmax pattern\n", r.err());
        assertFalse(Files.exists(dir.resolve("out.npy")), "no output after a failure");
    }

    @Test
    void optionsTheBackendDoesNotUseAreRefusedByName() {
        CliRun r =
                runQkv("dense", "--backend", "java", "--dtype", "f16").exits(1).noStackTrace();
        assertEquals("attnc: --dtype applies to --backend cuda-emu only; drop it for --backend java\n", r.err());
        r = runQkv("dense", "--dtype", "f32").exits(1).noStackTrace();
        assertEquals("attnc: --dtype applies to --backend cuda-emu only; drop it for --backend reference\n", r.err());
        r = runQkv("dense", "--schedule", "qtile=32").exits(1).noStackTrace();
        assertEquals("attnc: --schedule applies to --backend java only; drop it for --backend reference\n", r.err());
        r = runQkv("dense", "--backend", "cuda-emu", "--schedule", "qtile=32")
                .exits(1)
                .noStackTrace();
        assertEquals("attnc: --schedule applies to --backend java only; drop it for --backend cuda-emu\n", r.err());
        r = runQkv("dense", "--heads", "2").exits(1).noStackTrace();
        assertEquals(
                "attnc: --heads applies to token-major inputs (--layout blhd); under bhld the head count is q's "
                        + "second dimension: drop --heads\n",
                r.err());
        assertFalse(Files.exists(dir.resolve("out.npy")), "no output after a failure");
    }

    @Test
    void globalFromInputWithoutAGlobalMaskSaysItRanWithNone() throws IOException {
        CliRun r = runQkv("globals").exits(0).noStackTrace();
        assertEquals(
                "attnc: note: pattern globals has 'global from input' but no -i global_mask=FILE.npy was given: "
                        + "it ran with no run-time global tokens\n",
                r.err());
        // With a global mask the note is gone.
        Path none = dir.resolve("none.npy");
        Npy.write(none, NpyArray.ofBools(new boolean[2 * 9], 2, 9));
        r = runQkv("globals", "-i", "global_mask=" + none).exits(0).noStackTrace();
        assertEquals("", r.err());
    }

    /** {@code name}_blhd.npy ([B, L, H*D]) reshaped to [B, L, H, D] (the same memory), in the temp dir. */
    private Path fourDims(String name) throws IOException {
        NpyArray a = Npy.read(Path.of(res(name + "_blhd.npy")));
        Path p = dir.resolve(name + "_blhd4.npy");
        Npy.write(p, NpyArray.ofFloats(a.floats(), 2, 9, 2, 4));
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "java"})
    void tokenMajorFourDimensionalInputsTakeTheHeadCountFromTheShape(String backend) throws IOException {
        Path out = dir.resolve("out.npy");
        CliRun r = attnc(
                        "run",
                        res("specs.attn"),
                        "--backend",
                        backend,
                        "--pattern",
                        "dense",
                        "--layout",
                        "blhd",
                        "--verbose",
                        "-i",
                        "q=" + fourDims("q"),
                        "-i",
                        "k=" + fourDims("k"),
                        "-i",
                        "v=" + fourDims("v"),
                        "-o",
                        out.toString())
                .exits(0)
                .noStackTrace();
        assertTrue(r.err().startsWith("attnc: dense: B=2 H=2 L=9 D=4 (layout blhd)\n"), r.err());
        assertFalse(r.err().contains("warning"), r.err());
        NpyArray got = Npy.read(out);
        assertArrayEquals(new int[] {2, 9, 2, 4}, got.shape());
        float[] w = Npy.read(Path.of(res("expected_dense_blhd.npy"))).floats();
        float[] g = got.floats();
        double tol = backend.equals("reference") ? 2e-6 : 2e-5;
        for (int i = 0; i < w.length; i++) {
            assertEquals(w[i], g[i], tol + tol * Math.abs(w[i]), "element " + i);
        }
    }

    @Test
    void moreHeadsThanTokensIsWarnedAboutAsATransposedInput() throws IOException {
        CliRun r = attnc(
                        "run",
                        res("specs.attn"),
                        "--pattern",
                        "dense",
                        "-i",
                        "q=" + fourDims("q"),
                        "-i",
                        "k=" + fourDims("k"),
                        "-i",
                        "v=" + fourDims("v"),
                        "-o",
                        dir.resolve("out.npy").toString())
                .exits(0)
                .noStackTrace();
        assertEquals(
                "attnc: warning: q read as H=9 heads of L=2 tokens (layout bhld): more heads than tokens; "
                        + "if q is token-major [B, L, H, D], give --layout blhd\n",
                r.err());
    }

    @Test
    void aKeyOrValueThatDisagreesWithQIsNamedWithBothShapes() throws IOException {
        CliRun r = attnc(
                        "run",
                        res("specs.attn"),
                        "--pattern",
                        "dense",
                        "--layout",
                        "blhd",
                        "-i",
                        "q=" + fourDims("q"),
                        "-i",
                        "k=" + fourDims("k"),
                        "-i",
                        "v=" + res("v_blhd.npy"),
                        "-o",
                        dir.resolve("out.npy").toString())
                .exits(1)
                .noStackTrace();
        assertEquals("attnc: input v: expected shape [2, 9, 2, 4] (the shape of q), got [2, 9, 8]\n", r.err());
        r = attnc(
                        "run",
                        res("specs.attn"),
                        "--pattern",
                        "dense",
                        "--layout",
                        "blhd",
                        "--heads",
                        "4",
                        "-i",
                        "q=" + fourDims("q"),
                        "-i",
                        "k=" + fourDims("k"),
                        "-i",
                        "v=" + fourDims("v"),
                        "-o",
                        dir.resolve("out.npy").toString())
                .exits(1)
                .noStackTrace();
        assertEquals("attnc: input q: shape [2, 9, 2, 4] ([B, L, H, D]) has 2 heads, but --heads is 4\n", r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"key_valid_lengths.npy", "key_valid_lengths_f32.npy"})
    void keyValidAsLengthsPerItemIsTheMaskOfTheirPrefixes(String lengths) throws IOException {
        for (String backend : new String[] {"reference", "java"}) {
            runQkv("local", "--backend", backend, "-i", "key_valid=" + res(lengths))
                    .exits(0)
                    .noStackTrace();
            assertClose("expected_window.npy", dir.resolve("out.npy"), backend);
        }
    }

    @Test
    void keyValidLengthsOutOfRangeOrOfTheWrongCountAreNamed() throws IOException {
        Path three = dir.resolve("three.npy");
        Npy.write(three, NpyArray.ofInts(new int[] {9, 7, 3}, 3));
        CliRun r = runQkv("local", "-i", "key_valid=" + three).exits(1).noStackTrace();
        assertEquals(
                "attnc: input key_valid: 3 lengths, but q has B = 2 items: expected shape [2] ([B] lengths) "
                        + "or [2, 9] ([B, L] mask)\n",
                r.err());
        Path long10 = dir.resolve("long.npy");
        Npy.write(long10, NpyArray.ofInts(new int[] {9, 10}, 2));
        r = runQkv("local", "-i", "key_valid=" + long10).exits(1).noStackTrace();
        assertEquals("attnc: input key_valid: length 10 of item 1 is not a whole number in 0..9\n", r.err());
        Path half = dir.resolve("half.npy");
        Npy.write(half, NpyArray.ofFloats(new float[] {7.5f, 9}, 2));
        r = runQkv("local", "-i", "key_valid=" + half).exits(1).noStackTrace();
        assertEquals("attnc: input key_valid: length 7.5 of item 0 is not a whole number in 0..9\n", r.err());
        assertFalse(Files.exists(dir.resolve("out.npy")), "no output after a failure");
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "java"})
    void float16InputsAreConvertedToFloat32(String backend) throws IOException {
        // expected_dense_f16.npy: NumPy's attention on the same float16 values, widened to float32.
        Path out = dir.resolve("out.npy");
        attnc(
                        "run",
                        res("specs.attn"),
                        "--backend",
                        backend,
                        "--pattern",
                        "dense",
                        "-i",
                        "q=" + res("q_f16.npy"),
                        "-i",
                        "k=" + res("k_f16.npy"),
                        "-i",
                        "v=" + res("v_f16.npy"),
                        "-o",
                        out.toString())
                .exits(0)
                .noStackTrace();
        assertClose("expected_dense_f16.npy", out, backend);
    }

    /** An int32 layout of {@code shape} holding {@code values}, in the temp dir. */
    private String layoutFile(String name, int[] values, int... shape) throws IOException {
        Path p = dir.resolve(name + ".npy");
        Npy.write(p, NpyArray.ofInts(values, shape));
        return "layout=" + p;
    }

    @Test
    void bigBirdLayoutsWithBlocksOutsideTheSequenceOrRepeatedAreNamedByRow() throws IOException {
        // Pattern bigbird: block 1 on L = 9 tokens, so nb = 9 query and key blocks, H = 2.
        CliRun r = runQkv("bigbird").exits(1).noStackTrace();
        assertEquals(
                "attnc: input layout is missing: pattern bigbird uses 'random from input'; give -i layout=FILE.npy "
                        + "with shape [2, 9, r] (heads, query blocks of 1, random blocks per row)\n",
                r.err());
        int[] outside = new int[18];
        outside[9 + 4] = 9;
        r = runQkv("bigbird", "-i", layoutFile("outside", outside, 2, 9, 1))
                .exits(1)
                .noStackTrace();
        assertEquals(
                "attnc: input layout: row [1, 4] (head 1, query block 4) holds key block 9, outside 0..8\n", r.err());
        int[] negative = new int[14];
        negative[2] = -1;
        r = runQkv("bigbird", "-i", layoutFile("negative", negative, 2, 7, 1))
                .exits(1)
                .noStackTrace();
        assertEquals(
                "attnc: input layout: row [0, 2] (head 0, query block 3) holds key block -1, outside 0..8\n", r.err());
        int[] twice = new int[36];
        for (int row = 0; row < 18; row++) {
            twice[2 * row + 1] = 1; // [0, 1] everywhere but row [0, 3]
        }
        twice[2 * 3] = 5;
        twice[2 * 3 + 1] = 5;
        r = runQkv("bigbird", "-i", layoutFile("twice", twice, 2, 9, 2))
                .exits(1)
                .noStackTrace();
        assertEquals("attnc: input layout: row [0, 3] (head 0, query block 3) holds key block 5 twice\n", r.err());
        r = runQkv("bigbird", "-i", layoutFile("short", new int[10], 2, 5, 1))
                .exits(1)
                .noStackTrace();
        assertEquals(
                "attnc: input layout: expected shape [2, 9, r] (heads, query blocks of 1, random blocks per row), "
                        + "or Hugging Face's [2, 7, r] (rows for query blocks 1..7), got [2, 5, 1]\n",
                r.err());
        assertFalse(Files.exists(dir.resolve("out.npy")), "no output after a failure");
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "java"})
    void huggingFaceLayoutsWithoutTheGlobalRowsAreTheFullTableWithThoseRowsEmpty(String backend) throws IOException {
        // Rows 0 and nb-1 are global blocks (they attend every key), so their random blocks
        // change nothing: Hugging Face's [H, nb-2, r] table must give the [H, nb, r] result exactly.
        int[] hf = new int[2 * 7 * 2];
        int[] full = new int[2 * 9 * 2];
        java.util.Random rnd = new java.util.Random(5);
        for (int h = 0; h < 2; h++) {
            full[(h * 9) * 2] = 3;
            full[(h * 9) * 2 + 1] = 6;
            full[(h * 9 + 8) * 2] = 1;
            full[(h * 9 + 8) * 2 + 1] = 2;
            for (int i = 0; i < 7; i++) {
                int a = rnd.nextInt(9);
                int b = (a + 1 + rnd.nextInt(8)) % 9;
                hf[(h * 7 + i) * 2] = full[(h * 9 + i + 1) * 2] = a;
                hf[(h * 7 + i) * 2 + 1] = full[(h * 9 + i + 1) * 2 + 1] = b;
            }
        }
        runQkv("bigbird", "--backend", backend, "-i", layoutFile("full", full, 2, 9, 2))
                .exits(0)
                .noStackTrace();
        float[] want = Npy.read(dir.resolve("out.npy")).floats();
        runQkv("bigbird", "--backend", backend, "-i", layoutFile("hf", hf, 2, 7, 2))
                .exits(0)
                .noStackTrace();
        assertArrayEquals(want, Npy.read(dir.resolve("out.npy")).floats(), 0f);
    }

    @Test
    void anOutputIntoAMissingDirectoryIsRefusedBeforeTheRun() throws IOException {
        Path missing = dir.resolve("missing").resolve("out.npy");
        String[] args = {
            "run",
            res("specs.attn"),
            "--pattern",
            "dense",
            "-i",
            "q=" + res("q.npy"),
            "-i",
            "k=" + res("k.npy"),
            "-i",
            "v=" + res("v.npy"),
            "-o",
            missing.toString()
        };
        CliRun r = attnc(args).exits(1).noStackTrace();
        assertEquals(
                "attnc: cannot write " + missing + ": directory " + dir.resolve("missing") + " does not exist\n",
                r.err());
        Files.writeString(dir.resolve("file"), "");
        Path underFile = dir.resolve("file").resolve("out.npy");
        args[args.length - 1] = underFile.toString();
        r = attnc(args).exits(1).noStackTrace();
        assertEquals(
                "attnc: cannot write " + underFile + ": directory " + dir.resolve("file") + " is not a directory\n",
                r.err());
        args[args.length - 1] = dir.toString();
        r = attnc(args).exits(1).noStackTrace();
        assertEquals("attnc: cannot write " + dir + ": it is a directory\n", r.err());
    }
}
