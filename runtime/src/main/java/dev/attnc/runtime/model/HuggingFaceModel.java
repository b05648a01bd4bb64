package dev.attnc.runtime.model;

import dev.attnc.runtime.AttentionKernel;
import dev.attnc.runtime.model.LayerKernels.Role;
import dev.attnc.runtime.nn.Activation;
import dev.attnc.runtime.nn.AdditiveSelfAttention;
import dev.attnc.runtime.nn.AttentionBlock;
import dev.attnc.runtime.nn.BigBirdLayout;
import dev.attnc.runtime.nn.Embeddings;
import dev.attnc.runtime.nn.Encoder;
import dev.attnc.runtime.nn.EncoderLayer;
import dev.attnc.runtime.nn.GlobalProjections;
import dev.attnc.runtime.nn.LayerNorm;
import dev.attnc.runtime.nn.Linear;
import dev.attnc.runtime.nn.Pooler;
import dev.attnc.runtime.nn.Positions;
import dev.attnc.runtime.nn.SoftmaxSelfAttention;
import dev.attnc.runtime.weights.Checkpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;

/**
 * A Longformer, BigBird or Fastformer encoder loaded from a Hugging Face folder
 * ({@code config.json} + {@code model.safetensors} or a sharded index), run on attnc's kernels.
 * The outputs on real tokens equal the public implementations' ({@code LongformerModel},
 * {@code BigBirdModel}, the official {@code FastformerEncoder}): see docs/MODELS.md for exactly
 * what is matched. Thread-safe: calls may run concurrently.
 */
public final class HuggingFaceModel {

    private final ModelConfig config;
    private final Encoder encoder;
    private final List<String> notes;

    private HuggingFaceModel(ModelConfig config, Encoder encoder, List<String> notes) {
        this.config = config;
        this.encoder = encoder;
        this.notes = List.copyOf(notes);
    }

    /**
     * Loads a model folder.
     *
     * @param dir the folder (config.json and the weights)
     * @param config its config ({@link ModelConfig#read})
     * @param kernels the attention kernels of each layer
     * @throws ModelException listing every missing or misshapen tensor at once
     */
    public static HuggingFaceModel load(Path dir, ModelConfig config, LayerKernels kernels) {
        try (Checkpoint ckpt = Checkpoint.open(dir)) {
            return load(ckpt, config, kernels, dir.toString());
        }
    }

    /** Loads from an open checkpoint; {@code source} names it in errors. */
    public static HuggingFaceModel load(Checkpoint ckpt, ModelConfig config, LayerKernels kernels, String source) {
        WeightTable w = new WeightTable(ckpt, config.family());
        Encoder encoder;
        switch (config.family()) {
            case LONGFORMER:
            case BIG_BIRD:
                encoder = bert(w, config, kernels);
                break;
            case FASTFORMER:
                encoder = fastformer(w, config, kernels);
                break;
            default:
                throw new AssertionError(config.family());
        }
        w.finish(source);
        List<String> notes = new ArrayList<>();
        List<String> unused = w.unused();
        if (!unused.isEmpty()) {
            notes.add("ignored " + unused.size() + " tensor" + (unused.size() == 1 ? "" : "s")
                    + " the encoder does not use: " + summary(unused));
        }
        return new HuggingFaceModel(config, encoder, notes);
    }

    private static String summary(List<String> names) {
        return names.size() <= 6
                ? String.join(", ", names)
                : String.join(", ", names.subList(0, 6)) + ", … (" + (names.size() - 6) + " more)";
    }

    public ModelConfig config() {
        return config;
    }

    /** What loading noticed but did not refuse (ignored tensors). */
    public List<String> notes() {
        return notes;
    }

    /** Whether the checkpoint has a pooler ({@code pooler_output} can be asked for). */
    public boolean hasPooler() {
        return encoder.hasPooler();
    }

    /** Runs the model on the caller's ForkJoin pool (the common pool by default). */
    public ModelOutputs encode(ModelInputs in) {
        return encode(in, null);
    }

    /**
     * Runs the model.
     *
     * @param afterLayer told each layer's index when it is done (progress), or null
     * @throws ModelException naming the input that does not fit (shape, id past the vocabulary,
     *     length past the positions, a random table of the wrong shape)
     */
    public ModelOutputs encode(ModelInputs in, IntConsumer afterLayer) {
        int b = in.batch();
        int n = in.length();
        boolean[] valid = new boolean[b * n];
        for (int t = 0; t < valid.length; t++) {
            valid[t] = in.attentionMask() != null
                    ? in.attentionMask()[t] != 0
                    : config.family() != ModelFamily.FASTFORMER || in.inputIds()[t] != config.padTokenId();
        }
        boolean[] global = null;
        if (in.globalAttentionMask() != null) {
            if (config.family() != ModelFamily.LONGFORMER) {
                throw new ModelException("global_attention_mask is a Longformer input; this is a "
                        + config.family().modelType() + " model");
            }
            global = new boolean[b * n];
            for (int t = 0; t < global.length; t++) {
                global[t] = in.globalAttentionMask()[t] != 0 && valid[t];
            }
        }
        if (in.tokenTypeIds() != null && config.family() == ModelFamily.FASTFORMER) {
            throw new ModelException("token_type_ids: Fastformer has no token types");
        }
        BigBirdLayout[] layouts = null;
        if (in.randomLayout() != null) {
            if (config.family() != ModelFamily.BIG_BIRD) {
                throw new ModelException("random_layout is a BigBird input; this is a "
                        + config.family().modelType() + " model");
            }
            layouts = layouts(in.randomLayout(), n);
        }
        try {
            Encoder.Output out =
                    encoder.encode(in.inputIds(), in.tokenTypeIds(), b, n, valid, global, layouts, afterLayer);
            return new ModelOutputs(b, n, config.hiddenSize(), out.lastHiddenState(), out.poolerOutput());
        } catch (IllegalArgumentException e) {
            throw new ModelException(e.getMessage());
        }
    }

    /** Runs {@link #encode(ModelInputs, IntConsumer)} on {@code threads} threads. */
    public ModelOutputs encode(ModelInputs in, IntConsumer afterLayer, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            return pool.submit(() -> encode(in, afterLayer)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
    }

    private BigBirdLayout[] layouts(int[] table, int n) {
        int layers = config.numLayers();
        int heads = config.numHeads();
        int block = config.blockSize();
        int r = config.numRandomBlocks();
        int nb = (n + block - 1) / block;
        int perLayer = heads * Math.max(nb - 2, 0) * r;
        if (table.length != layers * perLayer) {
            throw new ModelException("random_layout: expected int [" + layers + ", " + heads + ", "
                    + Math.max(nb - 2, 0) + ", " + r + "] (layers, heads, ceil(" + n + " / " + block
                    + ") - 2 query blocks, num_random_blocks), got " + table.length + " values");
        }
        if (!config.sparseAt(n) || r == 0) {
            return null; // full attention at this length, or no random blocks: nothing to replay
        }
        BigBirdLayout[] out = new BigBirdLayout[layers];
        for (int l = 0; l < layers; l++) {
            int[] one = Arrays.copyOfRange(table, l * perLayer, (l + 1) * perLayer);
            try {
                out[l] = BigBirdLayout.fromHuggingFace(one, heads, n, block, r, "random_layout[" + l + "]");
            } catch (IllegalArgumentException e) {
                throw new ModelException(e.getMessage());
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- building

    private static Linear linear(WeightTable w, String name, int out, int in) {
        return linear(w, name, out, in, true);
    }

    private static Linear linear(WeightTable w, String name, int out, int in, boolean bias) {
        return Linear.fromTorch(w.take(name + ".weight", out, in), bias ? w.take(name + ".bias", out) : null, out, in);
    }

    private static LayerNorm norm(WeightTable w, String name, ModelConfig c) {
        int h = c.hiddenSize();
        return LayerNorm.of(w.take(name + ".weight", h), w.take(name + ".bias", h), c.layerNormEps());
    }

    private static Encoder bert(WeightTable w, ModelConfig c, LayerKernels kernels) {
        int h = c.hiddenSize();
        boolean longformer = c.family() == ModelFamily.LONGFORMER;
        float[] word = w.take("embeddings.word_embeddings.weight", c.vocabSize(), h);
        float[] pos = w.take("embeddings.position_embeddings.weight", c.maxPositionEmbeddings(), h);
        float[] types =
                c.typeVocabSize() > 0 ? w.take("embeddings.token_type_embeddings.weight", c.typeVocabSize(), h) : null;
        Embeddings emb = new Embeddings(
                word,
                pos,
                types,
                norm(w, "embeddings.LayerNorm", c),
                longformer ? Positions.roberta(c.padTokenId()) : Positions.fromZero(),
                c.rescaleEmbeddings() ? (float) Math.sqrt(h) : 1f);
        List<EncoderLayer> layers = new ArrayList<>();
        for (int l = 0; l < c.numLayers(); l++) {
            String p = "encoder.layer." + l + ".";
            Linear q = linear(w, p + "attention.self.query", h, h, c.useBias());
            Linear k = linear(w, p + "attention.self.key", h, h, c.useBias());
            Linear v = linear(w, p + "attention.self.value", h, h, c.useBias());
            GlobalProjections global = null;
            SoftmaxSelfAttention.KernelChoice choice;
            if (longformer) {
                String s = p + "attention.self.";
                global = GlobalProjections.of(
                        w.take(s + "query_global.weight", h, h),
                        w.take(s + "query_global.bias", h),
                        w.take(s + "key_global.weight", h, h),
                        w.take(s + "key_global.bias", h),
                        w.take(s + "value_global.weight", h, h),
                        w.take(s + "value_global.bias", h),
                        h);
                choice = SoftmaxSelfAttention.always(kernels.attention(l, Role.PATTERN));
            } else {
                choice = bigBirdChoice(c, kernels, l);
            }
            AttentionBlock attn = new SoftmaxSelfAttention(q, k, v, global, c.numHeads(), choice);
            layers.add(layer(w, c, p, attn));
        }
        Pooler pooler = null;
        String poolerName = longformer ? "pooler.dense" : "pooler";
        if (w.has(poolerName + ".weight")) {
            pooler = Pooler.firstToken(linear(w, poolerName, h, h));
        }
        return new Encoder(emb, layers, pooler, c.numHeads());
    }

    private static SoftmaxSelfAttention.KernelChoice bigBirdChoice(ModelConfig c, LayerKernels kernels, int l) {
        AttentionKernel full = kernels.attention(l, Role.FULL);
        if (!c.blockSparse()) {
            return SoftmaxSelfAttention.always(full);
        }
        AttentionKernel seeded = kernels.attention(l, Role.PATTERN);
        AttentionKernel given = kernels.attention(l, Role.PATTERN_GIVEN_LAYOUT);
        return (length, layoutGiven) -> !c.sparseAt(length) ? full : layoutGiven ? given : seeded;
    }

    private static EncoderLayer layer(WeightTable w, ModelConfig c, String p, AttentionBlock attn) {
        int h = c.hiddenSize();
        int i = c.intermediateSize();
        return new EncoderLayer(
                attn,
                linear(w, p + "attention.output.dense", h, h),
                norm(w, p + "attention.output.LayerNorm", c),
                linear(w, p + "intermediate.dense", i, h),
                Activation.fromHuggingFace(c.hiddenAct()),
                linear(w, p + "output.dense", h, i),
                norm(w, p + "output.LayerNorm", c),
                false);
    }

    private static Encoder fastformer(WeightTable w, ModelConfig c, LayerKernels kernels) {
        int h = c.hiddenSize();
        int heads = c.numHeads();
        long[] vocab = new long[1];
        float[] word = w.takeRows("word_embedding.weight", h, vocab);
        Embeddings emb = new Embeddings(
                word,
                w.take("fastformer_model.position_embeddings.weight", c.maxPositionEmbeddings(), h),
                null,
                norm(w, "fastformer_model.LayerNorm", c),
                Positions.fromZero(),
                1f);
        List<EncoderLayer> layers = new ArrayList<>();
        for (int l = 0; l < c.numLayers(); l++) {
            String p = "fastformer_model.encoders." + l + ".";
            String s = p + "attention.self.";
            AttentionBlock attn = new AdditiveSelfAttention(
                    linear(w, s + "query", h, h),
                    linear(w, s + "key", h, h),
                    new float[][] {w.take(s + "query_att.weight", heads, h), w.take(s + "query_att.bias", heads)},
                    new float[][] {w.take(s + "key_att.weight", heads, h), w.take(s + "key_att.bias", heads)},
                    linear(w, s + "transform", h, h),
                    heads,
                    kernels.additive(l));
            layers.add(layer(w, c, p, attn));
        }
        Pooler pooler = null;
        String pp = "fastformer_model.poolers.0.";
        if (w.has(pp + "att_fc1.weight")) {
            pooler = Pooler.attention(linear(w, pp + "att_fc1", h, h), linear(w, pp + "att_fc2", 1, h));
        }
        return new Encoder(emb, layers, pooler, heads);
    }
}
