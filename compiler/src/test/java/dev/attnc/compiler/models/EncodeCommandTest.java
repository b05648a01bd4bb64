package dev.attnc.compiler.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.compiler.cli.AttncMain;
import dev.attnc.compiler.cuda.EmuToolchain;
import dev.attnc.runtime.io.Npy;
import dev.attnc.runtime.io.NpyArray;
import dev.attnc.runtime.testing.reference.RefConfig;
import dev.attnc.runtime.testing.reference.RefInputs;
import dev.attnc.runtime.testing.reference.RefOutputs;
import dev.attnc.runtime.testing.reference.ReferenceModels;
import dev.attnc.runtime.weights.DType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code attnc encode} end to end: a model folder and int64 .npy inputs in, .npy outputs out,
 * compared with the double-precision reference (tolerance as {@link HuggingFaceModelTest}); and
 * every user error is one line and exit 1.
 */
class EncodeCommandTest {

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
        Run exits(int expected) {
            assertEquals(expected, code, () -> "exit code; stdout:\n" + out + "\nstderr:\n" + err);
            for (String line : (out + "\n" + err).split("\n")) {
                assertFalse(line.contains("Exception") || line.startsWith("\tat "), "stack trace line: " + line);
            }
            return this;
        }
    }

    static Run attnc(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AttncMain.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** An int64 .npy, as NumPy writes token ids ({@code np.save(f, ids)}). */
    static Path int64(Path file, int[][] a) throws IOException {
        int b = a.length;
        int n = a[0].length;
        String header = "{'descr': '<i8', 'fortran_order': False, 'shape': (" + b + ", " + n + "), }";
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + 8 * b * n).order(ByteOrder.LITTLE_ENDIAN);
        buf.put((byte) 0x93)
                .put("NUMPY".getBytes(StandardCharsets.US_ASCII))
                .put((byte) 1)
                .put((byte) 0);
        buf.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        for (int[] row : a) {
            for (int v : row) {
                buf.putLong(v);
            }
        }
        Files.write(file, buf.array());
        return file;
    }

    @Test
    void longformerFolderToNpyOutputsMatchesTheReference() throws IOException {
        RefConfig c = HuggingFaceModelTest.longformer(2);
        Path model = ModelFolders.write(dir.resolve("longformer"), c, 3, DType.F16);
        int n = 19;
        int[][] ids = HuggingFaceModelTest.ids(new Random(2), 2, n, c.padTokenId());
        int[][] mask = HuggingFaceModelTest.padding(2, n, 12);
        int[][] global = new int[2][n];
        global[0][0] = 1;
        global[1][3] = 1;
        Path h = dir.resolve("h.npy");
        Path p = dir.resolve("p.npy");
        Run r = attnc(
                        "encode",
                        "--model",
                        model.toString(),
                        "-i",
                        "input_ids=" + int64(dir.resolve("ids.npy"), ids),
                        "-i",
                        "attention_mask=" + int64(dir.resolve("m.npy"), mask),
                        "-i",
                        "global_attention_mask=" + int64(dir.resolve("g.npy"), global),
                        "-o",
                        "last_hidden_state=" + h,
                        "-o",
                        "pooler_output=" + p,
                        "--threads",
                        "1")
                .exits(0);
        assertTrue(r.out().contains("wrote " + h + " [2, 19, 64] (last_hidden_state)"), r.out());
        NpyArray hidden = Npy.read(h);
        NpyArray pooled = Npy.read(p);
        assertArrayEquals(new int[] {2, n, 64}, hidden.shape());
        assertArrayEquals(new int[] {2, 64}, pooled.shape());
        RefOutputs want = ReferenceModels.longformer(
                c, ModelFolders.weights(model, ""), new RefInputs(ids, mask, global, null, null));
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < n; i++) {
                if (mask[b][i] == 0) {
                    continue;
                }
                for (int x = 0; x < 64; x++) {
                    double e = want.lastHiddenState()[b][i][x];
                    assertEquals(e, hidden.floats()[(b * n + i) * 64 + x], 3e-4 + 3e-4 * Math.abs(e));
                }
            }
            for (int x = 0; x < 64; x++) {
                double e = want.poolerOutput()[b][x];
                assertEquals(e, pooled.floats()[b * 64 + x], 3e-4 + 3e-4 * Math.abs(e));
            }
        }
    }

    @Test
    void printSpecShowsEveryLayersPatternAndTheSpecsCompile() throws IOException {
        RefConfig c = HuggingFaceModelTest.longformer(3);
        Path model = ModelFolders.write(dir.resolve("m"), c, 3, DType.F32);
        Run r = attnc("encode", "--model", model.toString(), "--print-spec").exits(0);
        assertTrue(r.out().contains("window 2 each side"), r.out());
        assertTrue(r.out().contains("window 4 each side"), r.out());
        assertTrue(r.out().contains("window 1 each side"), r.out());
        assertTrue(r.out().contains("// layers 0\n"), r.out());
        Path spec = Files.writeString(dir.resolve("printed.attn"), r.out());
        attnc("check", spec.toString()).exits(0);
    }

    @Test
    void fastformerNeedsItsModelTypeAndRunsWithIt() throws IOException {
        RefConfig c = HuggingFaceModelTest.fastformer();
        Path model = ModelFolders.write(dir.resolve("ff"), c, 4, DType.BF16);
        int[][] ids = HuggingFaceModelTest.ids(new Random(5), 1, 9, 0);
        ids[0][8] = 0;
        String in = "input_ids=" + int64(dir.resolve("ids.npy"), ids);
        Run no = attnc(
                        "encode",
                        "--model",
                        model.toString(),
                        "-i",
                        in,
                        "-o",
                        "last_hidden_state=" + dir.resolve("x.npy"))
                .exits(1);
        assertEquals(
                "attnc: " + model.resolve("config.json") + ": no \"model_type\" (the official Fastformer code writes a"
                        + " BertConfig without one): pass --model-type longformer|big_bird|fastformer\n",
                no.err());
        Path p = dir.resolve("p.npy");
        attnc("encode", "--model", model.toString(), "--model-type", "fastformer", "-i", in, "-o", "pooler_output=" + p)
                .exits(0);
        RefOutputs want = ReferenceModels.fastformer(c, ModelFolders.weights(model, ""), RefInputs.of(ids));
        float[] got = Npy.read(p).floats();
        for (int x = 0; x < 64; x++) {
            assertEquals(want.poolerOutput()[0][x], got[x], 3e-4 + 3e-4 * Math.abs(want.poolerOutput()[0][x]));
        }
        assertFalse(Files.exists(dir.resolve("x.npy")), "nothing written on failure");
    }

    @Test
    void userErrorsAreOneLineAndExitOne() throws IOException {
        RefConfig c = HuggingFaceModelTest.longformer(1);
        Path model = ModelFolders.write(dir.resolve("m"), c, 3, DType.F32);
        String ids = "input_ids=" + int64(dir.resolve("ids.npy"), new int[][] {{2, 3, 99, 4}});
        String out = "last_hidden_state=" + dir.resolve("h.npy");
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {"attnc: input_ids[0, 2] = 99 is outside the vocabulary 0..49", "-i", ids, "-o", out});
        cases.add(new String[] {
            "attnc: input attention_mask: expected shape [1, 4] (as input_ids), got [1, 3]",
            "-i",
            ids,
            "-i",
            "attention_mask=" + int64(dir.resolve("m.npy"), new int[][] {{1, 1, 1}}),
            "-o",
            out
        });
        cases.add(new String[] {
            "attnc: -i ids: not an input of encode; use one of input_ids, attention_mask, global_attention_mask,"
                    + " token_type_ids, random_layout",
            "-i",
            "ids=x.npy",
            "-o",
            out
        });
        cases.add(new String[] {
            "attnc: input input_ids: no such file: " + dir.resolve("none.npy"),
            "-i",
            "input_ids=" + dir.resolve("none.npy"),
            "-o",
            out
        });
        for (String[] k : cases) {
            String[] args = new String[k.length + 1];
            args[0] = "encode";
            args[1] = "--model=" + model;
            System.arraycopy(k, 1, args, 2, k.length - 1);
            Run r = attnc(args).exits(1);
            assertEquals(k[0] + "\n", r.err(), String.join(" ", args));
            assertFalse(Files.exists(dir.resolve("h.npy")));
        }
        Run cuda = attnc("encode", "--model", model.toString(), "--backend", "cuda", "-i", ids, "-o", out);
        if (dev.attnc.compiler.exec.Backend.of("cuda").unavailableReason().isPresent()) {
            cuda.exits(1);
            assertTrue(cuda.err().startsWith("attnc: backend cuda cannot run here: "), cuda.err());
            assertEquals(1, cuda.err().lines().count(), cuda.err());
        }
        Files.delete(model.resolve("model.safetensors"));
        Run missing = attnc("encode", "--model", model.toString(), "-i", ids, "-o", out)
                .exits(1);
        assertTrue(missing.err().startsWith("attnc: " + model), missing.err());
        assertEquals(1, missing.err().lines().count(), missing.err());
    }

    @Test
    void cudaEmulatorRunsTheGeneratedCudaKernelsInsideTheModel() throws IOException {
        Assumptions.assumeTrue(
                EmuToolchain.unavailableReason().isEmpty(),
                () -> EmuToolchain.unavailableReason().get());
        RefConfig c = HuggingFaceModelTest.longformer(1);
        Path model = ModelFolders.write(dir.resolve("m"), c, 3, DType.F32);
        int[][] ids = HuggingFaceModelTest.ids(new Random(8), 1, 11, c.padTokenId());
        int[][] global = new int[1][11];
        global[0][0] = 1;
        Path h = dir.resolve("h.npy");
        attnc(
                        "encode",
                        "--model",
                        model.toString(),
                        "--backend",
                        "cuda-emu",
                        "-i",
                        "input_ids=" + int64(dir.resolve("ids.npy"), ids),
                        "-i",
                        "global_attention_mask=" + int64(dir.resolve("g.npy"), global),
                        "-o",
                        "last_hidden_state=" + h)
                .exits(0);
        RefOutputs want = ReferenceModels.longformer(
                c, ModelFolders.weights(model, ""), new RefInputs(ids, null, global, null, null));
        float[] got = Npy.read(h).floats();
        for (int i = 0; i < 11; i++) {
            for (int x = 0; x < 64; x++) {
                double e = want.lastHiddenState()[0][i][x];
                assertEquals(e, got[i * 64 + x], 3e-4 + 3e-4 * Math.abs(e));
            }
        }
    }
}
