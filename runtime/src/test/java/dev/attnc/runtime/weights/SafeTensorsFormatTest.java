package dev.attnc.runtime.weights;

import static dev.attnc.runtime.weights.RawFile.concat;
import static dev.attnc.runtime.weights.RawFile.u64;
import static dev.attnc.runtime.weights.RawFile.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The byte format itself, from both sides: a file built byte by byte here is read as the format
 * says; the writer's bytes equal ones spelled out here; and files the reference implementation
 * wrote (src/test/resources/safetensors, made by make_fixtures.py with safetensors 0.8.0) read
 * with the values NumPy put in. Exact comparisons throughout (NaN compared as NaN).
 */
class SafeTensorsFormatTest {

    @TempDir
    Path dir;

    private static Path fixture(String name) {
        try {
            return Path.of(SafeTensorsFormatTest.class
                    .getResource("/safetensors/" + name)
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsAFileBuiltByteByByte() {
        // Keys in no particular order, an unknown field, metadata in the middle, padding spaces.
        String header = "{\"z.bf16\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[16,20]},"
                + "\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a.f32\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8],\"extra\":[{}]},"
                + "\"m.f16\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[8,16]}}   ";
        byte[] data = {
            0x00,
            0x00,
            (byte) 0x80,
            0x3f, // F32 1.0 = 0x3f800000, little-endian
            0x00,
            0x00,
            0x20,
            (byte) 0xc0, // F32 -2.5 = 0xc0200000
            0x00,
            0x3c, // F16 1.0 = 0x3c00
            0x00,
            (byte) 0xc0, // F16 -2.0 = 0xc000
            (byte) 0xff,
            0x7b, // F16 65504 = 0x7bff
            0x01,
            0x00, // F16 2^-24 = 0x0001
            0x49,
            0x40, // BF16 3.140625 = 0x4049
            (byte) 0x80,
            (byte) 0xff // BF16 -inf = 0xff80
        };
        byte[] h = utf8(header);
        Path file = RawFile.write(dir.resolve("hand.safetensors"), concat(u64(h.length), h, data));
        try (SafeTensors st = SafeTensors.open(file)) {
            assertEquals(List.of("a.f32", "m.f16", "z.bf16"), List.copyOf(st.names()));
            assertEquals(Map.of("format", "pt"), st.metadata());
            assertEquals(8 + h.length, st.dataStart());
            assertEquals(new TensorInfo("m.f16", DType.F16, new long[] {2, 2}, 8, 16), st.info("m.f16"));
            assertArrayEquals(new float[] {1f, -2.5f}, st.floats("a.f32"));
            assertArrayEquals(new float[] {1f, -2f, 65504f, 0x1p-24f}, st.floats("m.f16"));
            assertArrayEquals(new float[] {3.140625f, Float.NEGATIVE_INFINITY}, st.floats("z.bf16"));
        }
    }

    @Test
    void writesTheBytesTheFormatSpells() throws IOException {
        Map<String, SafeTensorsWriter.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("b", SafeTensorsWriter.Tensor.f32(new float[] {1f, 2f}, 2));
        tensors.put("a", new SafeTensorsWriter.Tensor(DType.F16, new long[0], new float[] {0.5f}));
        Path file = dir.resolve("w.safetensors");
        SafeTensorsWriter.write(file, tensors, Map.of("k", "v"));

        String json = "{\"__metadata__\":{\"k\":\"v\"},"
                + "\"a\":{\"dtype\":\"F16\",\"shape\":[],\"data_offsets\":[0,2]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[2,10]}}";
        String padded = json + " ".repeat((8 - json.length() % 8) % 8);
        byte[] expected = concat(
                u64(padded.length()),
                utf8(padded),
                new byte[] {0x00, 0x38}, // F16 0.5 = 0x3800
                new byte[] {0x00, 0x00, (byte) 0x80, 0x3f}, // F32 1.0
                new byte[] {0x00, 0x00, 0x00, 0x40}); // F32 2.0 = 0x40000000
        assertArrayEquals(expected, Files.readAllBytes(file));
        assertEquals(0, padded.length() % 8);
    }

    @Test
    void readsWhatTheReferenceImplementationWrote() {
        try (SafeTensors st = SafeTensors.open(fixture("reference.safetensors"))) {
            assertEquals(Map.of("format", "np", "note", "héllo ✓"), st.metadata());
            assertEquals(
                    List.of(
                            "a.f32",
                            "b.f16",
                            "c.f64",
                            "d.i64",
                            "e.bool",
                            "f.scalar",
                            "g.empty",
                            "h.i32",
                            "i.u8",
                            "j.bf16"),
                    List.copyOf(st.names()));
            assertArrayEquals(new int[] {2, 3}, st.info("a.f32").intShape());
            assertArrayEquals(new float[] {-0.5f, -0.25f, 0f, 0.25f, 0.5f, 0.75f}, st.floats("a.f32"));
            float[] f16 = st.floats("b.f16");
            assertArrayEquals(
                    new float[] {1f, -2.5f, 65504f, 0x1p-24f, -0f, Float.POSITIVE_INFINITY}, Arrays.copyOf(f16, 6));
            assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(f16[4]));
            assertTrue(Float.isNaN(f16[6]));
            assertEquals(0.3330078125f, f16[7], "NumPy's float16(0.333), 0x3554");
            assertArrayEquals(new float[] {0.1f, -1e10f}, st.floats("c.f64"));
            assertArrayEquals(new long[] {1, -5, 1L << 40}, st.longs("d.i64"));
            assertArrayEquals(new long[] {1, 0, 0, 1}, st.longs("e.bool"));
            assertEquals(0, st.info("f.scalar").rank());
            assertEquals(1, st.info("f.scalar").elements());
            assertArrayEquals(new float[] {2.5f}, st.floats("f.scalar"));
            assertArrayEquals(new long[] {0, 3}, st.info("g.empty").shape());
            assertArrayEquals(new float[0], st.floats("g.empty"));
            assertArrayEquals(new long[] {-2, 7}, st.longs("h.i32"));
            assertArrayEquals(new long[] {0, 255}, st.longs("i.u8"));
            float[] bf16 = st.floats("j.bf16");
            assertArrayEquals(
                    new float[] {1f, -3.140625f, 0x1p-133f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY},
                    Arrays.copyOf(bf16, 5));
            assertTrue(Float.isNaN(bf16[5]));
            assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(bf16[6]));
        }
    }

    @Test
    void readsAShardedCheckpointAsTransformersSavesIt() {
        Path folder = fixture("sharded");
        try (Checkpoint c = Checkpoint.open(folder)) {
            assertEquals(folder.resolve(Checkpoint.INDEX), c.path());
            assertEquals(List.of("embeddings.weight", "layer.0.bias", "layer.1.bias"), List.copyOf(c.names()));
            assertEquals(
                    List.of(
                            folder.resolve("model-00001-of-00002.safetensors"),
                            folder.resolve("model-00002-of-00002.safetensors")),
                    c.files());
            assertEquals(folder.resolve("model-00002-of-00002.safetensors"), c.source("layer.1.bias"));
            assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, c.floats("embeddings.weight"));
            assertArrayEquals(new long[] {3, 4}, c.info("embeddings.weight").shape());
            assertArrayEquals(new float[] {1, 2}, c.floats("layer.0.bias"));
            assertArrayEquals(new float[] {3, 4}, c.floats("layer.1.bias"));
            assertEquals(DType.F16, c.info("layer.1.bias").dtype());
        }
    }
}
