package dev.attnc.compiler.cli;

import static dev.attnc.compiler.cli.CliRun.attnc;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.runtime.io.Npy;
import dev.attnc.runtime.io.NpyArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code attnc run} with grouped-query inputs: G read from k's shape (bhld, [B, L, G, D] and
 * [B, L, G·D]), printed under --verbose, checked against the pattern's {@code kv_heads}, and
 * mismatches named with the expected shape. Outputs are checked against the reference backend
 * run on k and v repeated to every head (HF {@code repeat_kv}; the same numbers, so equal
 * within 0), and the Java backend against the reference within 2e-5 + 2e-5·|want| (fp32).
 */
class RunGroupedQueryTest {

    @TempDir
    Path dir;

    private Path spec() throws IOException {
        Path f = dir.resolve("gqa.attn");
        Files.writeString(f, """
                pattern gqa { head_dim 4  heads 4  kv_heads 2  causal & window 3 before }
                pattern free { head_dim 4  window 2 }
                """);
        return f;
    }

    private Path npy(String name, NpyArray a) throws IOException {
        Path f = dir.resolve(name + ".npy");
        Npy.write(f, a);
        return f;
    }

    private static float[] random(int size, long seed) {
        Random r = new Random(seed);
        float[] a = new float[size];
        for (int x = 0; x < size; x++) {
            a[x] = r.nextFloat() * 2 - 1;
        }
        return a;
    }

    /** [B, G, L, D] repeated to [B, G·rep, L, D]: kv head g serves heads g·rep .. g·rep + rep − 1. */
    private static float[] repeatKv(float[] kv, int b, int g, int l, int d, int rep) {
        float[] out = new float[b * g * rep * l * d];
        for (int x = 0; x < b; x++) {
            for (int h = 0; h < g * rep; h++) {
                System.arraycopy(kv, ((x * g + h / rep) * l) * d, out, ((x * g * rep + h) * l) * d, l * d);
            }
        }
        return out;
    }

    private float[] run(String pattern, String backend, Path q, Path k, Path v, String... extra) throws IOException {
        Path out = dir.resolve(pattern + backend + ".npy");
        String[] base = {
            "run",
            spec().toString(),
            "--pattern",
            pattern,
            "--backend",
            backend,
            "-i",
            "q=" + q,
            "-i",
            "k=" + k,
            "-i",
            "v=" + v,
            "-o",
            out.toString()
        };
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        attnc(args).exits(0).noStackTrace();
        return Npy.read(out).floats();
    }

    @Test
    void kvHeadsComeFromKsShapeAndMatchTheRepeatedCall() throws IOException {
        float[] qa = random(2 * 4 * 7 * 4, 1);
        float[] ka = random(2 * 2 * 7 * 4, 2);
        float[] va = random(2 * 2 * 7 * 4, 3);
        Path q = npy("q", NpyArray.ofFloats(qa, 2, 4, 7, 4));
        Path k = npy("k", NpyArray.ofFloats(ka, 2, 2, 7, 4));
        Path v = npy("v", NpyArray.ofFloats(va, 2, 2, 7, 4));
        Path kFull = npy("kfull", NpyArray.ofFloats(repeatKv(ka, 2, 2, 7, 4, 2), 2, 4, 7, 4));
        Path vFull = npy("vfull", NpyArray.ofFloats(repeatKv(va, 2, 2, 7, 4, 2), 2, 4, 7, 4));
        float[] want = run("free", "reference", q, kFull, vFull);
        assertArrayEquals(want, run("free", "reference", q, k, v), 0f);
        float[] java = run("gqa", "java", q, k, v);
        float[] ref = run("gqa", "reference", q, k, v);
        for (int x = 0; x < ref.length; x++) {
            assertEquals(ref[x], java[x], 2e-5 + 2e-5 * Math.abs(ref[x]), "element " + x);
        }
        Path out = dir.resolve("verbose.npy");
        CliRun r = attnc(
                        "run",
                        spec().toString(),
                        "--pattern",
                        "gqa",
                        "--backend",
                        "reference",
                        "--verbose",
                        "-i",
                        "q=" + q,
                        "-i",
                        "k=" + k,
                        "-i",
                        "v=" + v,
                        "-o",
                        out.toString())
                .exits(0)
                .noStackTrace();
        assertTrue(r.err().startsWith("attnc: gqa: B=2 H=4 G=2 L=7 D=4 (layout bhld)\n"), r.err());
    }

    @Test
    void tokenMajorInputsGiveTheKvHeadsInTheirLastAxes() throws IOException {
        // [B, L, H·D] with --heads: k [B, L, G·D]; the same memory as [B, L, G, D].
        float[] qa = random(1 * 5 * 4 * 4, 4);
        float[] ka = random(1 * 5 * 1 * 4, 5);
        float[] va = random(1 * 5 * 1 * 4, 6);
        Path q = npy("q3", NpyArray.ofFloats(qa, 1, 5, 16));
        Path k = npy("k3", NpyArray.ofFloats(ka, 1, 5, 4));
        Path v = npy("v3", NpyArray.ofFloats(va, 1, 5, 4));
        Path q4 = npy("q4", NpyArray.ofFloats(qa, 1, 5, 4, 4));
        Path k4 = npy("k4", NpyArray.ofFloats(ka, 1, 5, 1, 4));
        Path v4 = npy("v4", NpyArray.ofFloats(va, 1, 5, 1, 4));
        float[] flat = run("free", "java", q, k, v, "--layout", "blhd", "--heads", "4");
        float[] split = run("free", "reference", q4, k4, v4, "--layout", "blhd");
        for (int x = 0; x < flat.length; x++) {
            assertEquals(split[x], flat[x], 2e-5 + 2e-5 * Math.abs(split[x]), "element " + x);
        }
    }

    @Test
    void mismatchedKeysAndValuesNameTheExpectedShape() throws IOException {
        Path q = npy("q", NpyArray.ofFloats(random(2 * 4 * 7 * 4, 1), 2, 4, 7, 4));
        Path k4 = npy("k4", NpyArray.ofFloats(random(2 * 4 * 7 * 4, 2), 2, 4, 7, 4));
        Path k3 = npy("k3", NpyArray.ofFloats(random(2 * 3 * 7 * 4, 2), 2, 3, 7, 4));
        Path k2 = npy("k2", NpyArray.ofFloats(random(2 * 2 * 7 * 4, 2), 2, 2, 7, 4));
        Path v1 = npy("v1", NpyArray.ofFloats(random(2 * 7 * 4, 2), 2, 1, 7, 4));
        Path out = dir.resolve("o.npy");
        CliRun r = attnc(
                        "run",
                        spec().toString(),
                        "--pattern",
                        "gqa",
                        "--backend",
                        "java",
                        "-i",
                        "q=" + q,
                        "-i",
                        "k=" + k4,
                        "-i",
                        "v=" + k4,
                        "-o",
                        out.toString())
                .exits(1)
                .noStackTrace();
        assertEquals(
                "attnc: input k: expected shape [2, 2, 7, 4] (q's shape with the pattern's kv_heads 2), got [2, 4, 7,"
                        + " 4]\n",
                r.err());
        r = attnc(
                        "run",
                        spec().toString(),
                        "--pattern",
                        "free",
                        "--backend",
                        "java",
                        "-i",
                        "q=" + q,
                        "-i",
                        "k=" + k3,
                        "-i",
                        "v=" + k3,
                        "-o",
                        out.toString())
                .exits(1)
                .noStackTrace();
        assertEquals(
                "attnc: input k: expected shape [2, 4, 7, 4] (the shape of q, or [2, G, 7, 4] with G kv heads dividing"
                        + " 4), got [2, 3, 7, 4]\n",
                r.err());
        r = attnc(
                        "run",
                        spec().toString(),
                        "--pattern",
                        "free",
                        "--backend",
                        "java",
                        "-i",
                        "q=" + q,
                        "-i",
                        "k=" + k2,
                        "-i",
                        "v=" + v1,
                        "-o",
                        out.toString())
                .exits(1)
                .noStackTrace();
        assertEquals("attnc: input v: expected shape [2, 2, 7, 4] (the shape of k), got [2, 1, 7, 4]\n", r.err());
    }
}
