package dev.attnc.compiler.models;

import dev.attnc.runtime.testing.reference.RefConfig;
import dev.attnc.runtime.testing.reference.ReferenceModels;
import dev.attnc.runtime.weights.Checkpoint;
import dev.attnc.runtime.weights.DType;
import dev.attnc.runtime.weights.SafeTensorsWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Small random Hugging Face folders for tests: {@code config.json} as Hugging Face writes it and
 * {@code model.safetensors} with the reference's weights under their real names, in a chosen
 * dtype. {@link #weights} gives back what the file holds (after F16/BF16 rounding), which is what
 * the reference must use.
 */
final class ModelFolders {

    static final int VOCAB = 50;
    static final int MAX_POSITIONS = 80;
    static final int TYPE_VOCAB = 2;

    private ModelFolders() {}

    /** A folder for {@code c}: random weights (seeded), stored in {@code dtype}, names prefixed by {@code prefix}. */
    static Path write(Path dir, RefConfig c, long seed, DType dtype, String prefix, Map<String, float[]> extra) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("config.json"), configJson(c));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, float[]> w = ReferenceModels.randomWeights(c, VOCAB, MAX_POSITIONS, TYPE_VOCAB, seed);
        Map<String, long[]> shapes = ReferenceModels.shapes(c, VOCAB, MAX_POSITIONS, TYPE_VOCAB);
        Map<String, SafeTensorsWriter.Tensor> tensors = new TreeMap<>();
        w.forEach((name, data) ->
                tensors.put(prefix + name, new SafeTensorsWriter.Tensor(dtype, shapes.get(name), data)));
        extra.forEach(
                (name, data) -> tensors.put(name, new SafeTensorsWriter.Tensor(dtype, new long[] {data.length}, data)));
        SafeTensorsWriter.write(dir.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
        return dir;
    }

    static Path write(Path dir, RefConfig c, long seed, DType dtype) {
        return write(dir, c, seed, dtype, "", Map.of());
    }

    /** The weights as the folder holds them, without {@code prefix}. */
    static Map<String, float[]> weights(Path dir, String prefix) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (Checkpoint ck = Checkpoint.open(dir)) {
            for (String n : ck.names()) {
                if (n.startsWith(prefix)) {
                    out.put(n.substring(prefix.length()), ck.floats(n));
                }
            }
        }
        return out;
    }

    static String configJson(RefConfig c) {
        StringBuilder b = new StringBuilder("{\n");
        if (!c.family().equals(RefConfig.FASTFORMER)) {
            b.append("  \"model_type\": \"").append(c.family()).append("\",\n");
        } else {
            b.append("  \"pooler_type\": \"weightpooler\",\n");
        }
        b.append("  \"hidden_size\": ").append(c.hidden()).append(",\n");
        b.append("  \"num_hidden_layers\": ").append(c.layers()).append(",\n");
        b.append("  \"num_attention_heads\": ").append(c.heads()).append(",\n");
        b.append("  \"intermediate_size\": ").append(c.intermediate()).append(",\n");
        b.append("  \"hidden_act\": \"").append(c.hiddenAct()).append("\",\n");
        b.append("  \"layer_norm_eps\": ").append(c.layerNormEps()).append(",\n");
        b.append("  \"vocab_size\": ").append(VOCAB).append(",\n");
        b.append("  \"max_position_embeddings\": ").append(MAX_POSITIONS).append(",\n");
        b.append("  \"type_vocab_size\": ").append(TYPE_VOCAB).append(",\n");
        if (c.family().equals(RefConfig.LONGFORMER)) {
            b.append("  \"attention_window\": ")
                    .append(Arrays.toString(c.attentionWindow()))
                    .append(",\n");
        }
        if (c.family().equals(RefConfig.BIG_BIRD)) {
            b.append("  \"block_size\": ").append(c.blockSize()).append(",\n");
            b.append("  \"num_random_blocks\": ").append(c.numRandomBlocks()).append(",\n");
            b.append("  \"attention_type\": \"").append(c.attentionType()).append("\",\n");
            b.append("  \"rescale_embeddings\": ").append(c.rescaleEmbeddings()).append(",\n");
        }
        b.append("  \"pad_token_id\": ").append(c.padTokenId()).append("\n}\n");
        return b.toString();
    }
}
