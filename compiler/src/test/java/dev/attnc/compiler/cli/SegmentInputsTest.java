package dev.attnc.compiler.cli;

import static dev.attnc.compiler.cli.CliRun.attnc;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code attnc run} and {@code attnc show} with {@code segments from input}: {@code segment_ids}
 * read as int32 or int64 {@code [B, L]}, the Java kernel equal to the reference within
 * 2e-5 + 2e-5·|want| (fp32 against double), and the input refused where the pattern has no
 * segments term, required where it has one, and named with the expected shape when wrong.
 */
class SegmentInputsTest {

    @TempDir
    Path dir;

    static final String SPEC = """
            pattern packed { head_dim 4  causal & segments from input }
            pattern plain { head_dim 4  causal }
            """;

    private static String res(String name) {
        try {
            return Path.of(SegmentInputsTest.class.getResource("/run/" + name).toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private CliRun run(String pattern, String backend, String out, String... extra) throws IOException {
        Path spec = dir.resolve("packed.attn");
        Files.writeString(spec, SPEC);
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

    /** The fixtures' q is [2, 2, 9, 4]: two items packed differently (ids recur after a gap in item 1). */
    private static final int[] IDS = {0, 0, 0, 1, 1, 2, 2, 2, 2, 5, 9, 9, 5, 5, 7, 7, 7, 9};

    /** An int64 .npy of {@code values}, shape [2, 9]. */
    private Path int64(String name, int[] values) throws IOException {
        String header = "{'descr': '<i8', 'fortran_order': False, 'shape': (2, 9), }";
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        ByteBuffer b =
                ByteBuffer.allocate(10 + header.length() + 8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93)
                .put("NUMPY".getBytes(StandardCharsets.US_ASCII))
                .put((byte) 1)
                .put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        for (int v : values) {
            b.putLong(v);
        }
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    @Test
    void theJavaKernelMatchesTheReferenceWithInt32AndInt64Ids() throws IOException {
        Path ids32 = dir.resolve("ids32.npy");
        Npy.write(ids32, NpyArray.ofInts(IDS, 2, 9));
        Path ids64 = int64("ids64.npy", IDS);
        run("packed", "reference", "want.npy", "-i", "segment_ids=" + ids32).exits(0);
        run("packed", "java", "got32.npy", "-i", "segment_ids=" + ids32).exits(0);
        run("packed", "java", "got64.npy", "-i", "segment_ids=" + ids64).exits(0);
        run("plain", "reference", "causal.npy").exits(0);
        float[] want = Npy.read(dir.resolve("want.npy")).floats();
        float[] causal = Npy.read(dir.resolve("causal.npy")).floats();
        for (String got : List.of("got32.npy", "got64.npy")) {
            NpyArray g = Npy.read(dir.resolve(got));
            assertArrayEquals(new int[] {2, 2, 9, 4}, g.shape());
            for (int x = 0; x < want.length; x++) {
                assertEquals(want[x], g.floats()[x], 2e-5 + 2e-5 * Math.abs(want[x]), got + " element " + x);
            }
        }
        // Rows 0..2 of item 0 are the first document: plain causal there; row 3 starts a new one.
        assertEquals(causal[2 * 4], want[2 * 4], 2e-6);
        assertTrue(Math.abs(causal[3 * 4] - want[3 * 4]) > 1e-6, "row 3 attends only itself");
    }

    @Test
    void segmentIdsAreRequiredWhereUsedRefusedElsewhereAndShapeChecked() throws IOException {
        Path ids = dir.resolve("ids.npy");
        Npy.write(ids, NpyArray.ofInts(IDS, 2, 9));
        CliRun r = run("plain", "reference", "o.npy", "-i", "segment_ids=" + ids)
                .exits(1)
                .noStackTrace();
        assertEquals("attnc: input segment_ids: pattern plain has no 'segments from input' term to use it\n", r.err());
        r = run("packed", "reference", "o.npy").exits(1).noStackTrace();
        assertEquals(
                "attnc: input segment_ids is missing: pattern packed has 'segments from input'; give -i "
                        + "segment_ids=FILE.npy (int32 or int64, shape [B, L])\n",
                r.err());
        Path wrong = dir.resolve("wrong.npy");
        Npy.write(wrong, NpyArray.ofInts(new int[18], 9, 2));
        r = run("packed", "reference", "o.npy", "-i", "segment_ids=" + wrong)
                .exits(1)
                .noStackTrace();
        assertEquals("attnc: input segment_ids: expected shape [2, 9] ([B, L]), got [9, 2]\n", r.err());
        Path floats = dir.resolve("floats.npy");
        Npy.write(floats, NpyArray.ofFloats(new float[18], 2, 9));
        r = run("packed", "reference", "o.npy", "-i", "segment_ids=" + floats)
                .exits(1)
                .noStackTrace();
        assertEquals("attnc: input segment_ids: expected int32 data, got float32\n", r.err());
    }

    @Test
    void showDrawsTheDocumentsGivenAndSaysWhatItAssumedOtherwise() throws IOException {
        Path spec = dir.resolve("packed.attn");
        Files.writeString(spec, SPEC);
        CliRun r = attnc("show", spec.toString(), "--pattern", "packed", "--n", "5", "--segments", "2,2")
                .exits(0);
        // pairs in both terms are drawn as the first kind, causal ('c')
        assertTrue(r.out().contains("""
                c....
                cc...
                ..c..
                ..cc.
                ....c
                """), r.out());
        r = attnc("show", spec.toString(), "--pattern", "packed", "--n", "3").exits(0);
        assertEquals("attnc: note: segments from input: no --segments given, drawn as one document\n", r.err());
        r = attnc("show", spec.toString(), "--pattern", "plain", "--n", "3", "--segments", "1")
                .exits(1)
                .noStackTrace();
        assertEquals("attnc: --segments: pattern 'plain' has no 'segments from input' term to draw\n", r.err());
    }
}
