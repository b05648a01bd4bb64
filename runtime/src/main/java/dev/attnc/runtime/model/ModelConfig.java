package dev.attnc.runtime.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The parts of a Hugging Face {@code config.json} that decide an encoder: read as Hugging Face's
 * config classes read them, with their defaults for absent keys ({@code LongformerConfig},
 * {@code BigBirdConfig}, and {@code BertConfig} for Fastformer).
 *
 * @param attentionWindow Longformer, per layer: Hugging Face's full width (one side is half)
 * @param blockSize BigBird's {@code block_size}
 * @param numRandomBlocks BigBird's {@code num_random_blocks}
 * @param blockSparse BigBird's {@code attention_type == "block_sparse"} (else {@code original_full})
 * @param rescaleEmbeddings BigBird's {@code rescale_embeddings}
 * @param useBias BigBird's {@code use_bias} (biases of the query, key and value projections)
 */
public record ModelConfig(
        ModelFamily family,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int intermediateSize,
        String hiddenAct,
        double layerNormEps,
        int vocabSize,
        int maxPositionEmbeddings,
        int typeVocabSize,
        int padTokenId,
        int[] attentionWindow,
        int blockSize,
        int numRandomBlocks,
        boolean blockSparse,
        boolean rescaleEmbeddings,
        boolean useBias) {

    /** Head dimension: {@code hidden_size / num_attention_heads}. */
    public int headDim() {
        return hiddenSize / numHeads;
    }

    /** One side of layer {@code l}'s Longformer window: {@code attention_window[l] / 2}. */
    public int oneSidedWindow(int layer) {
        return attentionWindow[layer] / 2;
    }

    /**
     * BigBird: whether a call of {@code length} tokens runs block-sparse attention. Hugging Face
     * switches to full attention when {@code length <= (5 + 2·num_random_blocks)·block_size}.
     */
    public boolean sparseAt(int length) {
        return blockSparse && length > (5 + 2 * numRandomBlocks) * blockSize;
    }

    /**
     * Reads {@code dir/config.json}.
     *
     * @param modelType the family when given ({@code --model-type}), else from {@code model_type}
     * @throws ModelException naming the file and the key that is wrong or missing
     */
    public static ModelConfig read(Path dir, String modelType) {
        Path file = Files.isDirectory(dir) ? dir.resolve("config.json") : dir;
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ModelException(file + ": no such file (a Hugging Face model folder holds config.json)");
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        return parse(text, modelType, file.toString());
    }

    /** Parses config.json text; {@code source} names it in errors. */
    public static ModelConfig parse(String json, String modelType, String source) {
        JsonObject o;
        try {
            JsonElement e = JsonParser.parseString(json);
            if (!e.isJsonObject()) {
                throw new ModelException(source + ": expected a JSON object");
            }
            o = e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new ModelException(source + ": not valid JSON: " + e.getMessage());
        }
        Keys k = new Keys(o, source);
        ModelFamily family;
        if (modelType != null) {
            family = ModelFamily.of(modelType);
        } else if (o.has("model_type")) {
            try {
                family = ModelFamily.of(k.string("model_type", null));
            } catch (IllegalArgumentException ex) {
                throw new ModelException(source + ": " + ex.getMessage());
            }
        } else {
            throw new ModelException(source + ": no \"model_type\" (the official Fastformer code writes a BertConfig"
                    + " without one): pass --model-type longformer|big_bird|fastformer");
        }
        boolean bigBird = family == ModelFamily.BIG_BIRD;
        boolean longformer = family == ModelFamily.LONGFORMER;
        int hidden = k.positive("hidden_size", 768);
        int layers = k.positive("num_hidden_layers", 12);
        int heads = k.positive("num_attention_heads", 12);
        if (hidden % heads != 0) {
            throw new ModelException(
                    source + ": hidden_size " + hidden + " is not a multiple of num_attention_heads " + heads);
        }
        int[] window = new int[0];
        if (longformer) {
            window = k.perLayer("attention_window", layers, 512);
            for (int l = 0; l < layers; l++) {
                if (window[l] <= 0 || window[l] % 2 != 0) {
                    throw new ModelException(source + ": attention_window[" + l + "] = " + window[l]
                            + " must be an even positive number (the full width; one side is half)");
                }
            }
        }
        String attentionType = bigBird ? k.string("attention_type", "block_sparse") : "original_full";
        if (bigBird && !attentionType.equals("block_sparse") && !attentionType.equals("original_full")) {
            throw new ModelException(
                    source + ": attention_type \"" + attentionType + "\" is not one of block_sparse, original_full");
        }
        return new ModelConfig(
                family,
                hidden,
                layers,
                heads,
                k.positive("intermediate_size", 3072),
                k.string("hidden_act", bigBird ? "gelu_new" : "gelu"),
                k.number("layer_norm_eps", 1e-12),
                k.positive("vocab_size", bigBird ? 50358 : longformer ? 30522 : 30522),
                k.positive("max_position_embeddings", bigBird ? 4096 : 512),
                k.nonNegative("type_vocab_size", 2),
                k.nonNegative("pad_token_id", longformer ? 1 : 0),
                window,
                bigBird ? k.positive("block_size", 64) : 0,
                bigBird ? k.nonNegative("num_random_blocks", 3) : 0,
                bigBird && attentionType.equals("block_sparse"),
                bigBird && k.bool("rescale_embeddings", false),
                !bigBird || k.bool("use_bias", true));
    }

    @Override
    public String toString() {
        return family.modelType() + " (hidden " + hiddenSize + ", " + numLayers + " layers, " + numHeads
                + " heads, intermediate " + intermediateSize + ", " + hiddenAct + ")"
                + (attentionWindow.length > 0 ? ", attention_window " + Arrays.toString(attentionWindow) : "")
                + (family == ModelFamily.BIG_BIRD
                        ? ", " + (blockSparse ? "block_sparse" : "original_full") + " block " + blockSize + " random "
                                + numRandomBlocks
                        : "");
    }

    /** Typed reads of config keys with the file named in errors. */
    private record Keys(JsonObject o, String source) {

        String string(String key, String dflt) {
            JsonElement e = o.get(key);
            if (e == null || e.isJsonNull()) {
                return dflt;
            }
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw wrong(key, "a string", e);
            }
            return e.getAsString();
        }

        double number(String key, double dflt) {
            JsonElement e = o.get(key);
            if (e == null || e.isJsonNull()) {
                return dflt;
            }
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw wrong(key, "a number", e);
            }
            return e.getAsDouble();
        }

        boolean bool(String key, boolean dflt) {
            JsonElement e = o.get(key);
            if (e == null || e.isJsonNull()) {
                return dflt;
            }
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
                throw wrong(key, "true or false", e);
            }
            return e.getAsBoolean();
        }

        int nonNegative(String key, int dflt) {
            JsonElement e = o.get(key);
            if (e == null || e.isJsonNull()) {
                return dflt;
            }
            return integer(key, e, 0);
        }

        int positive(String key, int dflt) {
            JsonElement e = o.get(key);
            if (e == null || e.isJsonNull()) {
                return dflt;
            }
            return integer(key, e, 1);
        }

        int[] perLayer(String key, int layers, int dflt) {
            JsonElement e = o.get(key);
            int[] out = new int[layers];
            if (e == null || e.isJsonNull()) {
                Arrays.fill(out, dflt);
                return out;
            }
            if (e.isJsonPrimitive()) {
                Arrays.fill(out, integer(key, e, 1));
                return out;
            }
            if (!e.isJsonArray()) {
                throw wrong(key, "a number or a list of numbers (one per layer)", e);
            }
            JsonArray a = e.getAsJsonArray();
            if (a.size() != layers) {
                throw new ModelException(source + ": \"" + key + "\" has " + a.size()
                        + " values, expected one per layer (" + layers + ", num_hidden_layers)");
            }
            for (int l = 0; l < layers; l++) {
                out[l] = integer(key + "[" + l + "]", a.get(l), 1);
            }
            return out;
        }

        private int integer(String key, JsonElement e, int min) {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw wrong(key, "a whole number", e);
            }
            JsonPrimitive p = e.getAsJsonPrimitive();
            double d = p.getAsDouble();
            if (d != Math.rint(d) || d < min || d > Integer.MAX_VALUE) {
                throw wrong(key, min == 0 ? "a whole number ≥ 0" : "a whole number ≥ 1", e);
            }
            return (int) d;
        }

        private ModelException wrong(String key, String expected, JsonElement e) {
            return new ModelException(source + ": \"" + key + "\" must be " + expected + ", got " + e);
        }
    }
}
