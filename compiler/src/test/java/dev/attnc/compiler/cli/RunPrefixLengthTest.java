package dev.attnc.compiler.cli;

import static dev.attnc.compiler.cli.CliRun.attnc;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.attnc.runtime.io.Npy;
import dev.attnc.runtime.io.NpyArray;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code attnc run -i prefix_len=FILE.npy}: the run-time prefix of {@code keys from input} /
 * {@code queries from input}, int32 or int64 {@code [B]}; a run with prefix lengths P gives the
 * output of the same pattern written with the static prefix {@code [0..P-1]} (exactly, on the
 * reference and the Java backend); refused where the pattern has no such set, required where it
 * has one, and its shape and values checked by name. Inputs: RunCommandTest's q, k, v
 * ({@code [2, 2, 9, 4]}).
 */
class RunPrefixLengthTest {

    @TempDir
    Path dir;

    private Path spec;

    @BeforeEach
    void writeSpec() throws IOException {
        spec = dir.resolve("prefix.attn");
        Files.writeString(spec, """
                pattern prefix { head_dim 4  causal | keys from input & queries from input }
                pattern static4 { head_dim 4  causal | keys [0..3] & queries [0..3] }
                pattern lm { head_dim 4  causal }
                """);
    }

    private static String res(String name) {
        try {
            return Path.of(RunPrefixLengthTest.class.getResource("/run/" + name).toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private CliRun run(String pattern, String backend, String out, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "run",
                spec.toString(),
                "--pattern",
                pattern,
                "--backend",
                backend,
                "-i",
                "q=" + res("q.npy"),
                "-i",
                "k=" + res("k.npy"),
                "-i",
                "v=" + res("v.npy"),
                "-o",
                dir.resolve(out).toString()));
        args.addAll(List.of(extra));
        return attnc(args.toArray(String[]::new));
    }

    /** An int64 .npy of shape [values.length] (NpyArray writes int32 only). */
    private static void writeInt64(Path p, long... values) throws IOException {
        String header = "{'descr': '<i8', 'fortran_order': False, 'shape': (" + values.length + ",), }";
        int total = 10 + header.length() + 1;
        header = header + " ".repeat((64 - total % 64) % 64) + "\n";
        ByteBuffer b =
                ByteBuffer.allocate(10 + header.length() + 8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93)
                .put("NUMPY".getBytes(StandardCharsets.US_ASCII))
                .put((byte) 1)
                .put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        for (long v : values) {
            b.putLong(v);
        }
        Files.write(p, b.array());
    }

    @Test
    void aRunTimePrefixGivesTheOutputOfTheStaticPrefix() throws IOException {
        Path int32 = dir.resolve("p32.npy");
        Npy.write(int32, NpyArray.ofInts(new int[] {4, 4}, 2));
        Path int64 = dir.resolve("p64.npy");
        writeInt64(int64, 4, 4);
        for (String backend : List.of("reference", "java")) {
            run("static4", backend, "want.npy").exits(0).noStackTrace();
            run("prefix", backend, "got32.npy", "-i", "prefix_len=" + int32)
                    .exits(0)
                    .noStackTrace();
            run("prefix", backend, "got64.npy", "-i", "prefix_len=" + int64)
                    .exits(0)
                    .noStackTrace();
            float[] want = Npy.read(dir.resolve("want.npy")).floats();
            assertArrayEquals(want, Npy.read(dir.resolve("got32.npy")).floats(), backend);
            assertArrayEquals(want, Npy.read(dir.resolve("got64.npy")).floats(), backend);
        }
        // Prefix 0 is causal attention.
        Path zero = dir.resolve("zero.npy");
        Npy.write(zero, NpyArray.ofInts(new int[] {0, 0}, 2));
        run("lm", "reference", "want.npy").exits(0).noStackTrace();
        run("prefix", "reference", "got.npy", "-i", "prefix_len=" + zero)
                .exits(0)
                .noStackTrace();
        assertArrayEquals(
                Npy.read(dir.resolve("want.npy")).floats(),
                Npy.read(dir.resolve("got.npy")).floats());
    }

    @Test
    void prefixLenIsRefusedWhereUnusedAndRequiredWhereUsed() throws IOException {
        Path p = dir.resolve("p.npy");
        Npy.write(p, NpyArray.ofInts(new int[] {4, 4}, 2));
        CliRun r = run("static4", "reference", "out.npy", "-i", "prefix_len=" + p)
                .exits(1)
                .noStackTrace();
        assertEquals(
                "attnc: input prefix_len: pattern static4 has no 'keys from input' or 'queries from input' set to "
                        + "use it\n",
                r.err());
        r = run("prefix", "java", "out.npy").exits(1).noStackTrace();
        assertEquals(
                "attnc: input prefix_len is missing: pattern prefix has a 'keys from input' or 'queries from input' "
                        + "set; give -i prefix_len=FILE.npy with shape [2] (int32 or int64, one prefix length in "
                        + "0..9 per batch item)\n",
                r.err());
        assertFalse(Files.exists(dir.resolve("out.npy")), "no output after a failure");
    }

    @Test
    void wrongShapesTypesAndLengthsAreNamed() throws IOException {
        Path three = dir.resolve("three.npy");
        Npy.write(three, NpyArray.ofInts(new int[] {1, 2, 3}, 3));
        CliRun r = run("prefix", "reference", "out.npy", "-i", "prefix_len=" + three)
                .exits(1)
                .noStackTrace();
        assertEquals(
                "attnc: input prefix_len: expected shape [2] ([B], one prefix length per batch item), got [3]\n",
                r.err());
        Path ten = dir.resolve("ten.npy");
        Npy.write(ten, NpyArray.ofInts(new int[] {9, 10}, 2));
        r = run("prefix", "reference", "out.npy", "-i", "prefix_len=" + ten)
                .exits(1)
                .noStackTrace();
        assertEquals("attnc: input prefix_len: length 10 of item 1 is outside 0..9 (the sequence length L)\n", r.err());
        Path floats = dir.resolve("f.npy");
        Npy.write(floats, NpyArray.ofFloats(new float[] {1, 2}, 2));
        r = run("prefix", "reference", "out.npy", "-i", "prefix_len=" + floats)
                .exits(1)
                .noStackTrace();
        assertEquals("attnc: input prefix_len: expected int32 data, got float32\n", r.err());
    }
}
