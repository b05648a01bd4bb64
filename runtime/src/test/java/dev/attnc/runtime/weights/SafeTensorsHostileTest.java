package dev.attnc.runtime.weights;

import static dev.attnc.runtime.weights.RawFile.concat;
import static dev.attnc.runtime.weights.RawFile.u64;
import static dev.attnc.runtime.weights.RawFile.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.runtime.testing.SeededTries;
import dev.attnc.runtime.weights.SafeTensorsWriter.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed and malicious files, built byte by byte: each must fail in {@code SafeTensors.open}
 * with a {@link WeightsException} whose whole message is the one given here (the file, the tensor
 * where there is one, what is wrong and what was expected) — never another exception, an
 * allocation sized by the file, or a file that opens. Random corruptions of a valid file likewise
 * fail only with a {@code WeightsException} naming the file.
 */
class SafeTensorsHostileTest {

    @TempDir
    Path dir;

    private static final String F32_2 = "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    /** A file's bytes and the message its opening must fail with, after {@code "<file>: "}. */
    record Case(String name, byte[] bytes, String message) {}

    private static Case header(String name, String json, int dataBytes, String message) {
        return new Case(name, RawFile.of(json, dataBytes), message);
    }

    static List<Case> cases() {
        String known =
                "F64, F32, F16, BF16, F8_E4M3, F8_E5M2, F8_E8M0, C64, I64, I32, I16, I8, U64, U32, U16, U8, BOOL";
        return List.of(
                new Case(
                        "empty",
                        new byte[0],
                        "only 0 bytes; a safetensors file starts with an 8-byte little-endian header length"),
                new Case(
                        "seven bytes",
                        new byte[7],
                        "only 7 bytes; a safetensors file starts with an 8-byte little-endian header length"),
                new Case(
                        "header past the end",
                        concat(u64(100), utf8("{}")),
                        "header length 100 bytes runs past the end of the file (10 bytes, so at most 2)"),
                new Case(
                        "absurd header length",
                        concat(u64(200_000_000), utf8("{}")),
                        "header length 200000000 bytes is more than the 100000000 accepted (is this a safetensors file?)"),
                new Case(
                        "header length with the top bit set",
                        concat(u64(-1), utf8("{}")),
                        "header length 18446744073709551615 bytes is more than the 100000000 accepted (is this a safetensors file?)"),
                new Case(
                        "not UTF-8",
                        concat(u64(8), new byte[] {'{', '"', 'a', (byte) 0xff, '"', ':', '1', '}'}),
                        "header is not valid UTF-8: malformed byte at header offset 3 (file offset 11)"),
                header("empty header", "", 0, "header is not valid JSON: End of input at line 1 column 1 path $"),
                header(
                        "unterminated JSON",
                        "{\"w\": {\"dtype\": ",
                        0,
                        "header is not valid JSON: End of input at line 1 column 17 path $.w.dtype"),
                header(
                        "comment (not JSON)",
                        "{/* c */}",
                        0,
                        "header is not valid JSON: malformed JSON at line 1 column 3 path $."),
                header(
                        "not an object",
                        "[1, 2]",
                        0,
                        "the header must be a JSON object, found a JSON array at line 1 column 2 path $"),
                header(
                        "content after the object",
                        "{} {}",
                        0,
                        "header is not valid JSON: malformed JSON at line 1 column 5 path $"),
                header(
                        "no dtype",
                        "{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}",
                        8,
                        "tensor 'w': its entry has no \"dtype\" (expected {\"dtype\": \"F32\", \"shape\": [...], \"data_offsets\": [begin, end]})"),
                header(
                        "no shape",
                        "{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}",
                        8,
                        "tensor 'w': its entry has no \"shape\" (expected {\"dtype\": \"F32\", \"shape\": [...], \"data_offsets\": [begin, end]})"),
                header(
                        "no data_offsets",
                        "{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}",
                        8,
                        "tensor 'w': its entry has no \"data_offsets\" (expected {\"dtype\": \"F32\", \"shape\": [...], \"data_offsets\": [begin, end]})"),
                header(
                        "entry not an object",
                        "{\"w\":\"F32\"}",
                        0,
                        "tensor 'w': its entry must be a JSON object, found a string at line 1 column 7 path $.w"),
                header(
                        "dtype a number",
                        "{\"w\":{\"dtype\":5,\"shape\":[2],\"data_offsets\":[0,8]}}",
                        8,
                        "tensor 'w': \"dtype\" must be a string, found a number at line 1 column 16 path $.w.dtype"),
                header(
                        "shape a string",
                        "{\"w\":{\"dtype\":\"F32\",\"shape\":\"2\",\"data_offsets\":[0,8]}}",
                        8,
                        "tensor 'w': \"shape\" must be a JSON array, found a string at line 1 column 30 path $.w.shape"),
                header(
                        "shape of a fraction",
                        "{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,8]}}",
                        8,
                        "tensor 'w': \"shape\" entry 1.5 is not an integer at line 1 column 33 path $.w.shape[1]"),
                header(
                        "shape of null",
                        "{\"w\":{\"dtype\":\"F32\",\"shape\":[null],\"data_offsets\":[0,8]}}",
                        8,
                        "tensor 'w': \"shape\" entry must be a number, found null at line 1 column 34 path $.w.shape[0]"),
                header(
                        "data_offsets an object",
                        "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":{}}}",
                        8,
                        "tensor 'w': \"data_offsets\" must be a JSON array, found a JSON object at line 1 column 49 path $.w.data_offsets"),
                header(
                        "one offset",
                        "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8]}}",
                        8,
                        "tensor 'w': \"data_offsets\" must hold two numbers [begin, end], found [8]"),
                header(
                        "three offsets",
                        "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,8]}}",
                        8,
                        "tensor 'w': \"data_offsets\" has more than 2 entries at line 1 column 54 path $.w.data_offsets[2]"),
                header(
                        "unknown dtype",
                        "{\"w\":{\"dtype\":\"F7\",\"shape\":[2],\"data_offsets\":[0,8]}}",
                        8,
                        "tensor 'w': unknown dtype 'F7'; expected one of " + known),
                header(
                        "sub-byte dtype",
                        "{\"w\":{\"dtype\":\"F4\",\"shape\":[2],\"data_offsets\":[0,1]}}",
                        1,
                        "tensor 'w': unknown dtype 'F4' (a sub-byte type, not supported); expected one of " + known),
                header(
                        "negative dimension",
                        "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1,2],\"data_offsets\":[0,8]}}",
                        8,
                        "tensor 'w': negative dimension -1 in \"shape\""),
                header(
                        "negative offset",
                        "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]}}",
                        8,
                        "tensor 'w': negative offset -8 in \"data_offsets\""),
                header(
                        "dimension past 64 bits",
                        "{\"w\":{\"dtype\":\"F32\",\"shape\":[18446744073709551616],\"data_offsets\":[0,8]}}",
                        8,
                        "tensor 'w': dimension 18446744073709551616 in \"shape\" is larger than a 64-bit count holds"),
                header(
                        "element count overflow",
                        "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,4294967296],\"data_offsets\":[0,8]}}",
                        8,
                        "tensor 'w': shape [4294967296, 4294967296, 4294967296] of F32 has more bytes than a 64-bit count holds"),
                header(
                        "byte count overflow",
                        "{\"w\":{\"dtype\":\"F64\",\"shape\":[2305843009213693952],\"data_offsets\":[0,8]}}",
                        8,
                        "tensor 'w': shape [2305843009213693952] of F64 has more bytes than a 64-bit count holds"),
                header(
                        "too many dimensions",
                        "{\"w\":{\"dtype\":\"F32\",\"shape\":[" + "1,".repeat(64) + "1],\"data_offsets\":[0,4]}}",
                        4,
                        "tensor 'w': \"shape\" has more than 64 entries at line 1 column 159 path $.w.shape[64]"),
                header(
                        "begin after end",
                        "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}",
                        8,
                        "tensor 'w': data_offsets [8, 4]: begin is after end"),
                header(
                        "shape and dtype do not fit the range",
                        "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}",
                        20,
                        "tensor 'w': shape [2, 3] of F32 needs 24 bytes, data_offsets [0, 20] hold 20"),
                header(
                        "end past the data",
                        "{\"w\":" + F32_2 + "}",
                        4,
                        "tensor 'w': data_offsets [0, 8] end past the data section, which holds 4 bytes (is the file truncated?)"),
                header(
                        "overlapping tensors",
                        "{\"a\":" + F32_2 + ",\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
                        12,
                        "tensor 'b': data_offsets [4, 12] overlap those of tensor 'a' [0, 8]"),
                header(
                        "one tensor inside another",
                        "{\"a\":{\"dtype\":\"U8\",\"shape\":[12],\"data_offsets\":[0,12]},\"b\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[5,6]},"
                                + "\"c\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[8,9]}}",
                        12,
                        "tensor 'b': data_offsets [5, 6] overlap those of tensor 'a' [0, 12]"),
                header(
                        "duplicate tensor",
                        "{\"w\":" + F32_2 + ",\"w\":" + F32_2 + "}",
                        8,
                        "tensor 'w': appears twice in the header"),
                header(
                        "duplicate field",
                        "{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,8]}}",
                        8,
                        "tensor 'w': \"dtype\" appears twice in its entry"),
                header(
                        "metadata not an object",
                        "{\"__metadata__\":[\"pt\"]}",
                        0,
                        "\"__metadata__\" must be a JSON object, found a JSON array at line 1 column 18 path $.__metadata__"),
                header(
                        "metadata value not a string",
                        "{\"__metadata__\":{\"format\":1}}",
                        0,
                        "\"__metadata__\" value of 'format' must be a string, found a number at line 1 column 28 path $.__metadata__.format"),
                header(
                        "metadata twice",
                        "{\"__metadata__\":{},\"__metadata__\":{}}",
                        0,
                        "\"__metadata__\" appears twice in the header"),
                header(
                        "metadata key twice",
                        "{\"__metadata__\":{\"k\":\"a\",\"k\":\"b\"}}",
                        0,
                        "\"__metadata__\" key 'k' appears twice"),
                header(
                        "deep nesting in an unknown field",
                        "{\"w\":{\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}}",
                        0,
                        ("header is not valid JSON: Nesting limit 255 reached at line 1 column 265 path $.w.x"
                                                + "[0]".repeat(254))
                                        .substring(0, "header is not valid JSON: ".length() + 200)
                                + "..."));
    }

    @TestFactory
    Stream<DynamicTest> eachHostileFileFailsWithItsMessage() {
        return cases().stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    Path file = RawFile.write(dir.resolve(c.name().replace(' ', '_') + ".safetensors"), c.bytes());
                    WeightsException e = assertThrows(
                            WeightsException.class, () -> SafeTensors.open(file).close());
                    assertEquals(file + ": " + c.message(), e.getMessage());
                }));
    }

    /**
     * Random corruptions of a valid file (1..4 of: a random byte, a JSON punctuation byte, a
     * flipped bit, a cut) either open, and then every tensor reads or fails by name, or fail to
     * open with a message starting with the file: never another exception.
     */
    @TestFactory
    Stream<DynamicTest> corruptedFilesFailOnlyWithAWeightsException() throws IOException {
        Path base = dir.resolve("base.safetensors");
        SafeTensorsWriter.write(
                base,
                Map.of(
                        "a", Tensor.f32(new float[6], 2, 3),
                        "b.bias", new Tensor(DType.F16, new long[] {4}, new float[] {1, 2, 3, 4}),
                        "c", new Tensor(DType.BF16, new long[0], new float[] {7})),
                Map.of("format", "pt"));
        byte[] good = Files.readAllBytes(base);
        String punctuation = "{}[]\",:0123456789-.e ";
        return SeededTries.forAll(
                200,
                0xc0ffeeL,
                g -> {
                    byte[] b = good.clone();
                    int mutations = g.intBetween(1, 4);
                    for (int m = 0; m < mutations && b.length > 0; m++) {
                        int k = g.choose(b.length);
                        switch (g.choose(4)) {
                            case 0 -> b[k] = (byte) g.choose(256);
                            case 1 -> b[k] = (byte) punctuation.charAt(g.choose(punctuation.length()));
                            case 2 -> b = Arrays.copyOf(b, k);
                            default -> b[k] ^= (byte) (1 << g.choose(8));
                        }
                    }
                    return b;
                },
                bytes -> {
                    Path file = RawFile.write(dir.resolve("corrupt.safetensors"), bytes);
                    try (SafeTensors st = SafeTensors.open(file)) {
                        for (String name : st.names()) {
                            try {
                                if (st.info(name).dtype().isFloatingPoint()) {
                                    st.floats(name);
                                } else if (st.info(name).dtype().isInteger()) {
                                    st.longs(name);
                                }
                            } catch (WeightsException e) {
                                assertTrue(
                                        e.getMessage().startsWith(file + ": tensor '" + name + "': "), e.getMessage());
                            }
                        }
                    } catch (WeightsException e) {
                        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
                    }
                });
    }

    @Test
    void aTruncatedFileNamesTheTensorPastTheEnd() throws IOException {
        Path file = dir.resolve("cut.safetensors");
        SafeTensorsWriter.write(
                file,
                Map.of("a", Tensor.f32(new float[] {1, 2}, 2), "b", Tensor.f32(new float[] {3, 4, 5, 6}, 2, 2)),
                null);
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length - 1));
        assertEquals(
                file
                        + ": tensor 'b': data_offsets [8, 24] end past the data section, which holds 23 bytes (is the file truncated?)",
                assertThrows(WeightsException.class, () -> SafeTensors.open(file))
                        .getMessage());
    }

    @Test
    void aFolderOrAMissingFileIsNamed() {
        assertEquals(
                dir + ": is a folder, not a safetensors file (Checkpoint.open reads a model folder)",
                assertThrows(WeightsException.class, () -> SafeTensors.open(dir))
                        .getMessage());
        Path missing = dir.resolve("missing.safetensors");
        assertEquals(
                missing + ": no such file",
                assertThrows(WeightsException.class, () -> SafeTensors.open(missing))
                        .getMessage());
    }
}
