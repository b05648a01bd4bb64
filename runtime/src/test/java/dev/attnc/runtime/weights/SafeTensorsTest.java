package dev.attnc.runtime.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.runtime.testing.Gen;
import dev.attnc.runtime.testing.SeededTries;
import dev.attnc.runtime.weights.HalfReference.Format;
import dev.attnc.runtime.weights.SafeTensorsWriter.Tensor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writing and reading back: random tensors of F32, F16 and BF16 (random shapes, values mixing
 * random bits, ordinary magnitudes, the 16-bit formats' subnormal ranges, rounding ties and the
 * specials) round-trip to exactly what {@link HalfReference} rounds them to; metadata round-trips;
 * the header's entries and the API around them; reading in small mapped pieces; the writer's
 * atomicity. Exact comparisons (NaN compared as NaN).
 */
class SafeTensorsTest {

    @TempDir
    Path dir;

    /** One random checkpoint: 1..5 tensors and 0..3 metadata entries. */
    record Sample(Map<String, Tensor> tensors, Map<String, String> metadata) {
        @Override
        public String toString() {
            return tensors.entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining(", "))
                    + " metadata " + metadata;
        }
    }

    private static Sample draw(Gen g) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        int count = g.intBetween(1, 5);
        for (int k = 0; k < count; k++) {
            DType dtype = g.oneOf(DType.F32, DType.F16, DType.BF16);
            int rank = g.intBetween(0, 4);
            long[] shape = new long[rank];
            long n = 1;
            for (int i = 0; i < rank; i++) {
                shape[i] = g.intBetween(0, 6);
                n *= shape[i];
            }
            float[] data = new float[(int) n];
            for (int i = 0; i < data.length; i++) {
                data[i] = value(g);
            }
            tensors.put(g.oneOf("", "layer.") + k + g.oneOf("", ".weight", ".é✓"), new Tensor(dtype, shape, data));
        }
        Map<String, String> metadata = new TreeMap<>();
        int entries = g.intBetween(0, 3);
        for (int i = 0; i < entries; i++) {
            metadata.put("key" + i, g.oneOf("pt", "", "quote \" and \\ and é", "line\nbreak"));
        }
        return new Sample(tensors, metadata);
    }

    /** Floats that exercise the conversions: any bits, ordinary values, 16-bit subnormals, ties, specials. */
    private static float value(Gen g) {
        switch (g.choose(6)) {
            case 0:
                return Float.intBitsToFloat((int) g.anyLong());
            case 1:
                return (g.intBetween(-100_000, 100_000)) / 1024f;
            case 2:
                return g.intBetween(-4096, 4096) * 0x1p-26f; // F16 subnormals and the ties between them
            case 3: // a tie: the midpoint between two neighbouring F16 or BF16 values
                Format format = g.oneOf(Format.F16, Format.BF16);
                int h = (int) g.longBetween(0, format.infinity - 2);
                float mid = (float) ((format.value(h) + format.value(h + 1)) / 2);
                return g.chance(0.5) ? mid : -mid;
            case 4:
                return g.intBetween(-300, 300) * 0x1p-130f; // BF16 subnormals
            default:
                return g.oneOf(
                        0f,
                        -0f,
                        Float.NaN,
                        Float.POSITIVE_INFINITY,
                        Float.NEGATIVE_INFINITY,
                        Float.MAX_VALUE,
                        -Float.MAX_VALUE,
                        Float.MIN_VALUE,
                        65504f,
                        65520f,
                        -65519.99f);
        }
    }

    /** What reading back must give for {@code f} written as {@code dtype}, by the independent reference. */
    private static float expected(DType dtype, float f) {
        if (dtype == DType.F32 || Float.isNaN(f)) {
            return f;
        }
        Format format = dtype == DType.F16 ? Format.F16 : Format.BF16;
        return (float) format.value(format.nearest(f));
    }

    @TestFactory
    Stream<DynamicTest> roundTripsToTheReferenceRounding() {
        return SeededTries.forAll(40, 0x5afe7e5L, SafeTensorsTest::draw, s -> {
            Path file = Files.createTempFile(dir, "rt", ".safetensors");
            SafeTensorsWriter.write(file, s.tensors(), s.metadata());
            try (SafeTensors st = SafeTensors.open(file)) {
                assertEquals(new ArrayList<>(new TreeMap<>(s.tensors()).keySet()), List.copyOf(st.names()));
                assertEquals(s.metadata(), st.metadata());
                long offset = 0;
                for (String name : st.names()) {
                    Tensor t = s.tensors().get(name);
                    TensorInfo info = st.info(name);
                    assertEquals(t.dtype(), info.dtype(), name);
                    assertArrayEquals(t.shape(), info.shape(), name);
                    assertEquals(t.data().length, info.elements(), name);
                    assertEquals(offset, info.begin(), name + ": tensors packed in name order");
                    offset = info.end();
                    float[] back = st.floats(name);
                    for (int i = 0; i < back.length; i++) {
                        float want = expected(t.dtype(), t.data()[i]);
                        if (Float.isNaN(want)) {
                            assertTrue(Float.isNaN(back[i]), name + "[" + i + "]");
                        } else if (Float.floatToRawIntBits(want) != Float.floatToRawIntBits(back[i])) {
                            throw new AssertionError(name + "[" + i + "] = " + t.data()[i] + " as " + t.dtype()
                                    + ": read " + back[i] + ", expected " + want);
                        }
                    }
                }
                assertEquals(0, st.dataStart() % 8, "header padded to a multiple of 8");
                assertEquals(offset, Files.size(file) - st.dataStart(), "no bytes after the last tensor");
            }
        });
    }

    @Test
    void writingIsDeterministicWhateverTheMapOrder() throws IOException {
        Map<String, Tensor> forward = new LinkedHashMap<>();
        Map<String, Tensor> backward = new LinkedHashMap<>();
        List<String> names = List.of("a", "b.c", "b", "Z", "é");
        for (int i = 0; i < names.size(); i++) {
            forward.put(names.get(i), Tensor.f32(new float[] {i}, 1));
        }
        for (int i = names.size() - 1; i >= 0; i--) {
            backward.put(names.get(i), forward.get(names.get(i)));
        }
        Map<String, String> m1 = new LinkedHashMap<>();
        m1.put("x", "1");
        m1.put("a", "2");
        Map<String, String> m2 = new TreeMap<>(m1);
        Path f1 = dir.resolve("1.safetensors");
        Path f2 = dir.resolve("2.safetensors");
        SafeTensorsWriter.write(f1, forward, m1);
        SafeTensorsWriter.write(f2, backward, m2);
        assertArrayEquals(Files.readAllBytes(f1), Files.readAllBytes(f2));
    }

    @Test
    void headerEntriesAndLookups() {
        Path file = dir.resolve("m.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("encoder.layer.0.attention.self.query.weight", Tensor.f32(new float[6], 2, 3));
        tensors.put("encoder.layer.0.attention.self.query.bias", new Tensor(DType.BF16, new long[] {3}, new float[3]));
        tensors.put("scalar", Tensor.f32(new float[] {7}));
        SafeTensorsWriter.write(file, tensors, null);
        try (SafeTensors st = SafeTensors.open(file)) {
            assertEquals(file, st.file());
            assertEquals(Map.of(), st.metadata());
            assertTrue(st.has("scalar"));
            assertFalse(st.has("nope"));
            TensorInfo q = st.info("encoder.layer.0.attention.self.query.weight");
            assertEquals(DType.F32, q.dtype());
            assertArrayEquals(new long[] {2, 3}, q.shape());
            assertArrayEquals(new int[] {2, 3}, q.intShape());
            assertEquals(6, q.elements());
            assertEquals(24, q.byteSize());
            assertEquals(2, q.rank());
            TensorInfo b = st.info("encoder.layer.0.attention.self.query.bias");
            assertEquals(new TensorInfo(b.name(), DType.BF16, new long[] {3}, 0, 6), b);
            assertArrayEquals(new float[] {7}, st.floats("scalar"));
            assertThrows(UnsupportedOperationException.class, () -> st.names().remove("scalar"));

            WeightsException absent =
                    assertThrows(WeightsException.class, () -> st.info("layer.0.attention.self.query.weight"));
            assertEquals(
                    file + ": tensor 'layer.0.attention.self.query.weight': not found among the 3 tensors of"
                            + " m.safetensors; similar: 'encoder.layer.0.attention.self.query.weight'",
                    absent.getMessage());
            assertThrows(WeightsException.class, () -> st.floats("nope"));
        }
    }

    @Test
    void floatsAndLongsRefuseTheOtherKindByName() {
        Path file = RawFile.write(
                dir.resolve("mixed.safetensors"),
                RawFile.of(
                        "{\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                                + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]},"
                                + "\"q\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[12,14]}}",
                        14));
        try (SafeTensors st = SafeTensors.open(file)) {
            assertEquals(
                    file + ": tensor 'ids': is I64; floats() converts F32, F16, BF16 and F64 (longs() reads integers)",
                    assertThrows(WeightsException.class, () -> st.floats("ids")).getMessage());
            assertEquals(
                    file + ": tensor 'w': is F32; longs() converts the integer types and BOOL"
                            + " (floats() reads floating point)",
                    assertThrows(WeightsException.class, () -> st.longs("w")).getMessage());
            assertEquals(
                    file + ": tensor 'q': is F8_E4M3; floats() converts F32, F16, BF16 and F64",
                    assertThrows(WeightsException.class, () -> st.floats("q")).getMessage());
            assertArrayEquals(new long[] {0}, st.longs("ids"));
        }
    }

    @Test
    void integerTypesConvertWithTheirSignedness() {
        byte[] data = {
            (byte) 0xff,
            (byte) 0xff, // I16 -1
            (byte) 0xff,
            (byte) 0xff, // U16 65535
            (byte) 0xfe,
            (byte) 0xff,
            (byte) 0xff,
            (byte) 0xff, // I32 -2
            (byte) 0xfe,
            (byte) 0xff,
            (byte) 0xff,
            (byte) 0xff, // U32 4294967294
            (byte) 0x80, // I8 -128
            2, // BOOL any non-zero is true
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            (byte) 0x80 // U64 2^63: too large for a long
        };
        String header = "{\"a\":{\"dtype\":\"I16\",\"shape\":[1],\"data_offsets\":[0,2]},"
                + "\"b\":{\"dtype\":\"U16\",\"shape\":[1],\"data_offsets\":[2,4]},"
                + "\"c\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[4,8]},"
                + "\"d\":{\"dtype\":\"U32\",\"shape\":[1],\"data_offsets\":[8,12]},"
                + "\"e\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[12,13]},"
                + "\"f\":{\"dtype\":\"BOOL\",\"shape\":[1],\"data_offsets\":[13,14]},"
                + "\"g\":{\"dtype\":\"U64\",\"shape\":[1],\"data_offsets\":[14,22]}}";
        byte[] h = RawFile.utf8(header);
        Path file = RawFile.write(dir.resolve("ints.safetensors"), RawFile.concat(RawFile.u64(h.length), h, data));
        try (SafeTensors st = SafeTensors.open(file)) {
            assertArrayEquals(new long[] {-1}, st.longs("a"));
            assertArrayEquals(new long[] {65535}, st.longs("b"));
            assertArrayEquals(new long[] {-2}, st.longs("c"));
            assertArrayEquals(new long[] {4294967294L}, st.longs("d"));
            assertArrayEquals(new long[] {-128}, st.longs("e"));
            assertArrayEquals(new long[] {1}, st.longs("f"));
            assertEquals(
                    file + ": tensor 'g': U64 element 0 is 9223372036854775808, more than a long holds",
                    assertThrows(WeightsException.class, () -> st.longs("g")).getMessage());
        }
    }

    @Test
    void readsInSmallMappedPiecesAsInOne() {
        Path file = dir.resolve("pieces.safetensors");
        float[] data = new float[101];
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 0.75f - 20;
        }
        Map<String, Tensor> tensors = new TreeMap<>();
        tensors.put("f32", Tensor.f32(data, 101));
        tensors.put("f16", new Tensor(DType.F16, new long[] {101}, data));
        tensors.put("bf16", new Tensor(DType.BF16, new long[] {101}, data));
        SafeTensorsWriter.write(file, tensors, null);
        try (SafeTensors st = SafeTensors.open(file)) {
            for (String name : st.names()) {
                float[] whole = st.floats(name);
                for (long chunk : new long[] {1, 3, 8, 10, 64, 1000}) {
                    assertArrayEquals(whole, st.floats(name, chunk), name + " in pieces of " + chunk + " bytes");
                }
            }
            assertArrayEquals(data, st.floats("f32"), "exact in F32");
        }
    }

    @Test
    void aTensorLargerThanAnArrayFailsOnReadingNotOnOpening() throws IOException {
        // 2^31 F16 elements: a 4 GiB data section, sparse on disk (setLength writes nothing).
        String header = "{\"big\":{\"dtype\":\"F16\",\"shape\":[2147483648],\"data_offsets\":[0,4294967296]}}";
        byte[] h = RawFile.utf8(header);
        Path file = RawFile.write(dir.resolve("big.safetensors"), RawFile.concat(RawFile.u64(h.length), h));
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(8 + h.length + (1L << 32));
        }
        try (SafeTensors st = SafeTensors.open(file)) {
            assertEquals(1L << 31, st.info("big").elements());
            assertEquals(
                    file + ": tensor 'big': shape [2147483648] has 2147483648 elements, more than a Java array holds"
                            + " (2147483639)",
                    assertThrows(WeightsException.class, () -> st.floats("big")).getMessage());
            assertEquals(
                    "tensor 'big': dimension 0 of shape [2147483648] does not fit an int",
                    assertThrows(
                                    IllegalArgumentException.class,
                                    () -> st.info("big").intShape())
                            .getMessage());
        }
    }

    @Test
    void readingAfterCloseFailsByName() {
        Path file = dir.resolve("c.safetensors");
        SafeTensorsWriter.write(file, Map.of("w", Tensor.f32(new float[] {1}, 1)), null);
        SafeTensors st = SafeTensors.open(file);
        st.close();
        st.close();
        assertEquals(
                file + ": tensor 'w': cannot read: the file was closed",
                assertThrows(WeightsException.class, () -> st.floats("w")).getMessage());
        assertEquals(DType.F32, st.info("w").dtype(), "the header stays available");
    }

    @Test
    void theWriterRefusesBadInputBeforeMakingAnyFile() throws IOException {
        Path file = dir.resolve("refused.safetensors");
        Files.write(file, new byte[] {42});
        assertRefused(
                file,
                Map.of("w", Tensor.f32(new float[5], 2, 3)),
                null,
                "tensor 'w': shape [2, 3] has 6 elements, the data 5");
        assertRefused(
                file,
                Map.of("w", new Tensor(DType.I32, new long[] {1}, new float[1])),
                null,
                "tensor 'w': dtype I32 is not written from floats (F32, F16 or BF16)");
        assertRefused(
                file,
                Map.of("w", Tensor.f32(new float[0], 2, -1)),
                null,
                "tensor 'w': negative dimension in shape [2, -1]");
        assertRefused(file, Map.of("w", Tensor.f32(new float[0], 1L << 40, 1L << 40, 0)), null, null);
        assertRefused(
                file,
                Map.of("w", Tensor.f32(new float[1], 1L << 40, 1L << 40)),
                null,
                "tensor 'w': shape [1099511627776, 1099511627776] has more than 2^63 elements, the data 1");
        assertRefused(
                file,
                Map.of("__metadata__", Tensor.f32(new float[1], 1)),
                null,
                "tensor '__metadata__': is the header's metadata key, not a tensor name");
        Map<String, String> nullValue = new TreeMap<>();
        nullValue.put("k", null);
        assertRefused(file, Map.of(), nullValue, "metadata entry k = null has a null key or value");
    }

    /** Writing fails with a message starting with the file (containing {@code what} unless null); the old file is intact; no temporary file. */
    private void assertRefused(Path file, Map<String, Tensor> tensors, Map<String, String> metadata, String what)
            throws IOException {
        if (what == null) { // a valid tensor after all (shape with a 0): written
            SafeTensorsWriter.write(file, tensors, metadata);
            Files.write(file, new byte[] {42});
            return;
        }
        WeightsException e =
                assertThrows(WeightsException.class, () -> SafeTensorsWriter.write(file, tensors, metadata));
        assertEquals(file + ": " + what, e.getMessage());
        assertArrayEquals(new byte[] {42}, Files.readAllBytes(file), "the old file is untouched");
        assertEquals(List.of(file), listing(), "no temporary file");
    }

    @Test
    void aFailedMoveLeavesNoTemporaryFile() throws IOException {
        // The target is a folder that is not empty: the bytes are all written, then the move fails.
        Path target = dir.resolve("model.safetensors");
        Files.createDirectory(target);
        Files.write(target.resolve("inside"), new byte[] {1});
        WeightsException e = assertThrows(
                WeightsException.class,
                () -> SafeTensorsWriter.write(target, Map.of("w", Tensor.f32(new float[1000], 1000)), null));
        assertTrue(e.getMessage().startsWith(target + ": cannot write: "), e.getMessage());
        assertEquals(List.of(target), listing(), "no temporary file beside the target");
        assertTrue(Files.isDirectory(target));
    }

    private List<Path> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().collect(Collectors.toList());
        }
    }
}
