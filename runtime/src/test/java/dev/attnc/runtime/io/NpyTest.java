package dev.attnc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading files NumPy wrote (src/test/resources/npy, made by make_fixtures.py) and writing what NumPy writes. */
class NpyTest {

    @TempDir
    Path dir;

    private static Path fixture(String name) {
        try {
            return Path.of(NpyTest.class.getResource("/npy/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsEachDtypeAndShape() throws IOException {
        NpyArray f = Npy.read(fixture("f32_2x3.npy"));
        assertEquals(NpyArray.DType.FLOAT32, f.dtype());
        assertArrayEquals(new int[] {2, 3}, f.shape());
        assertArrayEquals(new float[] {0, 0.25f, 0.5f, 0.75f, 1, 1.25f}, f.floats());
        assertArrayEquals(
                new int[] {-2, 0, 7, Integer.MAX_VALUE},
                Npy.read(fixture("i32_4.npy")).ints());
        assertArrayEquals(
                new boolean[] {true, false, false, true},
                Npy.read(fixture("bool_2x2.npy")).bools());
        NpyArray scalar = Npy.read(fixture("scalar_f32.npy"));
        assertArrayEquals(new int[0], scalar.shape());
        assertArrayEquals(new float[] {2.5f}, scalar.floats());
        NpyArray empty = Npy.read(fixture("empty_0x3.npy"));
        assertArrayEquals(new int[] {0, 3}, empty.shape());
        assertEquals(0, empty.floats().length);
        NpyArray four = Npy.read(fixture("f32_4d.npy"));
        assertArrayEquals(new int[] {2, 3, 4, 5}, four.shape());
        assertEquals(119 - 60, four.floats()[119]);
    }

    @Test
    void readsBigEndianVersion2AndConvertsWideTypes() throws IOException {
        assertArrayEquals(
                new float[] {1.5f, -2f, 3.25f},
                Npy.read(fixture("f32_big_endian.npy")).floats());
        NpyArray v2 = Npy.read(fixture("v2_f32.npy"));
        assertArrayEquals(new int[] {2, 2}, v2.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4}, v2.floats());
        assertArrayEquals(
                new float[] {0.1f, -1e10f, 3f}, Npy.read(fixture("f64_3.npy")).floats());
        assertArrayEquals(
                new int[] {1, -5, Integer.MAX_VALUE},
                Npy.read(fixture("i64_3.npy")).ints());
        // float16 values NumPy stored exactly (a subnormal, the largest normal, -0) and inf.
        NpyArray half = Npy.read(fixture("f16_5.npy"));
        assertEquals(NpyArray.DType.FLOAT32, half.dtype());
        assertArrayEquals(new float[] {1.5f, 0x1p-24f, 65504f, -0f, Float.POSITIVE_INFINITY}, half.floats());
    }

    @Test
    void refusesWhatItCannotReadWithTheFileAndTheReason() {
        assertEquals(
                "fortran.npy: Fortran-order arrays are not supported; save with np.ascontiguousarray",
                assertThrows(NpyFormatException.class, () -> Npy.read(fixture("fortran.npy")))
                        .getMessage());
        assertEquals(
                "complex.npy: dtype '<c8' is not supported (expected float32, int32 or bool; float16, float64 and int64 are converted)",
                assertThrows(NpyFormatException.class, () -> Npy.read(fixture("complex.npy")))
                        .getMessage());
        assertEquals(
                "truncated.npy: truncated data: shape [2, 3] needs 24 bytes, the file has 19",
                assertThrows(NpyFormatException.class, () -> Npy.read(fixture("truncated.npy")))
                        .getMessage());
        assertEquals(
                "not_npy.npy: not a .npy file (no \\x93NUMPY magic)",
                assertThrows(NpyFormatException.class, () -> Npy.read(fixture("not_npy.npy")))
                        .getMessage());
        assertEquals(
                "i64_too_big.npy: int64 value 1099511627776 at index 0 does not fit int32",
                assertThrows(NpyFormatException.class, () -> Npy.read(fixture("i64_too_big.npy")))
                        .getMessage());
    }

    @Test
    void writesTheBytesNumPyWrites() throws IOException {
        Path out = dir.resolve("w.npy");
        Npy.write(out, NpyArray.ofFloats(new float[] {0, 0.25f, 0.5f, 0.75f, 1, 1.25f}, 2, 3));
        assertArrayEquals(Files.readAllBytes(fixture("f32_2x3.npy")), Files.readAllBytes(out));
        Npy.write(out, NpyArray.ofInts(new int[] {-2, 0, 7, Integer.MAX_VALUE}, 4));
        assertArrayEquals(Files.readAllBytes(fixture("i32_4.npy")), Files.readAllBytes(out));
        Npy.write(out, NpyArray.ofBools(new boolean[] {true, false, false, true}, 2, 2));
        assertArrayEquals(Files.readAllBytes(fixture("bool_2x2.npy")), Files.readAllBytes(out));
        Npy.write(out, NpyArray.ofFloats(new float[] {2.5f}));
        assertArrayEquals(Files.readAllBytes(fixture("scalar_f32.npy")), Files.readAllBytes(out));
        float[] big = new float[120];
        for (int i = 0; i < big.length; i++) {
            big[i] = i - 60;
        }
        Npy.write(out, NpyArray.ofFloats(big, 2, 3, 4, 5));
        assertArrayEquals(Files.readAllBytes(fixture("f32_4d.npy")), Files.readAllBytes(out));
    }

    @Test
    void aFailedWriteLeavesNoFile() throws IOException {
        Path blocker = dir.resolve("sub");
        Files.writeString(blocker, "a file where a directory is expected");
        Path target = blocker.resolve("out.npy");
        assertThrows(IOException.class, () -> Npy.write(target, NpyArray.ofFloats(new float[] {1}, 1)));
        assertFalse(Files.exists(target));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "only the blocker remains");
        }
    }

    @Test
    void writtenFilesGetTheUsualPermissions() throws IOException {
        Path out = dir.resolve("p.npy");
        Npy.write(out, NpyArray.ofFloats(new float[] {1}, 1));
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(out);
        // Created like any new file (umask), not owner-only like a temp file.
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        assertEquals(Files.getPosixFilePermissions(plain), perms);
    }

    @Test
    void aShapeWhoseElementCountOverflowsIsRefused() throws IOException {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (65536, 65536, 65536, 65536), }";
        String header = dict + " ".repeat(64 - (10 + dict.length() + 1) % 64) + "\n";
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.write(header.length() & 0xff);
        b.write(header.length() >> 8);
        b.write(header.getBytes(StandardCharsets.ISO_8859_1));
        Path f = dir.resolve("huge.npy");
        Files.write(f, b.toByteArray());
        assertEquals(
                "huge.npy: shape [65536, 65536, 65536, 65536] has more elements than fit in 64 bits",
                assertThrows(NpyFormatException.class, () -> Npy.read(f)).getMessage());
    }
}
