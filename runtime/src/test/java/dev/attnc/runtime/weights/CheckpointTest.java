package dev.attnc.runtime.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.attnc.runtime.weights.SafeTensorsWriter.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model folders: a single {@code model.safetensors}, shards through an index (names resolved to
 * their shard, values read from it), and every way an index or folder can be wrong, each with its
 * whole message.
 */
class CheckpointTest {

    @TempDir
    Path dir;

    private static final String SHARD1 = "model-00001-of-00002.safetensors";
    private static final String SHARD2 = "model-00002-of-00002.safetensors";

    @BeforeEach
    void shards() {
        SafeTensorsWriter.write(
                dir.resolve(SHARD1),
                Map.of(
                        "bert.embeddings.word_embeddings.weight", Tensor.f32(new float[] {1, 2, 3, 4}, 2, 2),
                        "bert.pooler.dense.bias", Tensor.f32(new float[] {5}, 1),
                        "unlisted", Tensor.f32(new float[] {0}, 1)),
                Map.of("format", "pt"));
        SafeTensorsWriter.write(
                dir.resolve(SHARD2),
                Map.of("cls.bias", new Tensor(DType.BF16, new long[] {2}, new float[] {-1, 0.5f})),
                Map.of("format", "pt"));
    }

    private Path index(String json) throws IOException {
        return Files.writeString(dir.resolve(Checkpoint.INDEX), json);
    }

    private static String weightMap(String entries) {
        return "{\"metadata\": {\"total_size\": 24}, \"weight_map\": {" + entries + "}}";
    }

    private static final String GOOD = weightMap("\"bert.embeddings.word_embeddings.weight\": \"" + SHARD1 + "\", "
            + "\"bert.pooler.dense.bias\": \"" + SHARD1 + "\", \"cls.bias\": \"" + SHARD2 + "\"");

    @Test
    void shardedNamesResolveToTheirShard() throws IOException {
        Path index = index(GOOD);
        for (Path source : List.of(dir, index)) {
            try (Checkpoint c = Checkpoint.open(source)) {
                assertEquals(index, c.path());
                assertEquals(
                        List.of("bert.embeddings.word_embeddings.weight", "bert.pooler.dense.bias", "cls.bias"),
                        List.copyOf(c.names()));
                assertFalse(c.has("unlisted"), "names are the index's, not every tensor of the shards");
                assertEquals(List.of(dir.resolve(SHARD1), dir.resolve(SHARD2)), c.files());
                assertEquals(dir.resolve(SHARD2), c.source("cls.bias"));
                assertEquals(dir.resolve(SHARD1), c.source("bert.pooler.dense.bias"));
                assertArrayEquals(new float[] {1, 2, 3, 4}, c.floats("bert.embeddings.word_embeddings.weight"));
                assertArrayEquals(new float[] {-1, 0.5f}, c.floats("cls.bias"));
                assertEquals(new TensorInfo("cls.bias", DType.BF16, new long[] {2}, 0, 4), c.info("cls.bias"));
                assertEquals(
                        index + ": tensor 'embeddings.word_embeddings.weight': not found among the 3 tensors of "
                                + Checkpoint.INDEX + "; similar: 'bert.embeddings.word_embeddings.weight'",
                        assertThrows(WeightsException.class, () -> c.floats("embeddings.word_embeddings.weight"))
                                .getMessage());
            }
        }
    }

    @Test
    void aSingleFileFolderOrFile() throws IOException {
        Path single = dir.resolve(Checkpoint.SINGLE);
        Files.copy(dir.resolve(SHARD2), single);
        index(GOOD); // present too: the single file wins, as in transformers
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertEquals(dir, c.path());
            assertEquals(List.of("cls.bias"), List.copyOf(c.names()));
            assertEquals(single, c.source("cls.bias"));
            assertEquals(List.of(single), c.files());
        }
        try (Checkpoint c = Checkpoint.open(dir.resolve(SHARD1))) {
            assertEquals(3, c.names().size());
            assertTrue(c.has("unlisted"));
            assertArrayEquals(new float[] {5}, c.floats("bert.pooler.dense.bias"));
        }
    }

    @Test
    void aFolderWithoutWeightsSaysWhatItLookedFor() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertEquals(
                empty
                        + ": neither model.safetensors nor model.safetensors.index.json is in this folder (it holds: nothing)",
                assertThrows(WeightsException.class, () -> Checkpoint.open(empty))
                        .getMessage());
        Files.writeString(empty.resolve("config.json"), "{}");
        Files.write(empty.resolve("pytorch_model.bin"), new byte[1]);
        assertEquals(
                empty + ": neither model.safetensors nor model.safetensors.index.json is in this folder"
                        + " (it holds: config.json, pytorch_model.bin)",
                assertThrows(WeightsException.class, () -> Checkpoint.open(empty))
                        .getMessage());
        Path missing = dir.resolve("nope");
        assertEquals(
                missing + ": no such file or folder",
                assertThrows(WeightsException.class, () -> Checkpoint.open(missing))
                        .getMessage());
    }

    @Test
    void badIndexesFailWithTheirMessage() throws IOException {
        String notJson = "{\"weight_map\": {\"a\": }";
        assertIndexRefused(notJson, "index is not valid JSON: Expected value at line 1 column 22 path $.weight_map.a");
        assertIndexRefused(
                "{\"metadata\": {}}",
                "index has no \"weight_map\" (expected {\"metadata\": {...}, \"weight_map\": {tensor name: shard file}})");
        assertIndexRefused(
                "{\"weight_map\": [\"" + SHARD1 + "\"]}",
                "\"weight_map\" must be a JSON object, found a JSON array at line 1 column 17 path $.weight_map");
        assertIndexRefused("[]", "the index must be a JSON object, found a JSON array at line 1 column 2 path $");
        assertIndexRefused(
                weightMap("\"cls.bias\": 2"),
                "tensor 'cls.bias': its shard in \"weight_map\" must be a string, found a number at line 1 column 62"
                        + " path $.weight_map.cls.bias");
        assertIndexRefused(
                weightMap("\"cls.bias\": \"" + SHARD2 + "\", \"cls.bias\": \"" + SHARD2 + "\""),
                "tensor 'cls.bias': appears twice in \"weight_map\"");
        assertIndexRefused(
                weightMap("\"cls.bias\": \"../" + SHARD2 + "\""),
                "tensor 'cls.bias': shard '../" + SHARD2
                        + "' is not a file name in the index's folder (no folders, '.' or '..')");
        assertIndexRefused(
                weightMap("\"a\": \"" + SHARD1 + "\", \"b\": \"gone.safetensors\", \"c\": \"gone.safetensors\""),
                "tensor 'b': its shard 'gone.safetensors' (holding 2 tensors of the index) is not a file in " + dir);
        assertIndexRefused(
                weightMap("\"bert.pooler.dense.bias\": \"" + SHARD1 + "\", \"cls.bias\": \"" + SHARD1 + "\""),
                "tensor 'cls.bias': the index maps it to shard '" + SHARD1
                        + "', which holds no tensor of that name (3 others)");
    }

    @Test
    void anIndexThatIsNotUtf8() throws IOException {
        Path index = Files.write(dir.resolve(Checkpoint.INDEX), new byte[] {'{', (byte) 0xc3, '}'});
        assertEquals(
                index + ": index is not valid UTF-8: malformed byte at index offset 1 (file offset 1)",
                assertThrows(WeightsException.class, () -> Checkpoint.open(dir)).getMessage());
    }

    @Test
    void aBadShardIsNamedByItsOwnFile() throws IOException {
        Path shard = Files.write(dir.resolve(SHARD2), new byte[3]);
        index(GOOD);
        assertEquals(
                shard + ": only 3 bytes; a safetensors file starts with an 8-byte little-endian header length",
                assertThrows(WeightsException.class, () -> Checkpoint.open(dir)).getMessage());
    }

    private void assertIndexRefused(String json, String message) throws IOException {
        Path index = index(json);
        WeightsException e = assertThrows(WeightsException.class, () -> Checkpoint.open(dir));
        assertEquals(index + ": " + message, e.getMessage(), json);
    }
}
