package dev.attnc.runtime.testing.reference;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Double-precision references of three encoder models, written to follow their public PyTorch
 * code literally (the oracle for attnc's Java models: plain loops, O(L²), small shapes only).
 * Dropout is the identity (eval mode). Weights are {@code float[]}, row-major, PyTorch layouts
 * ({@code nn.Linear.weight} is {@code [out, in]}), keyed by their {@code state_dict} names
 * without the base model's prefix ({@code longformer.}, {@code bert.}); Fastformer keeps the
 * official code's full names. Tensors the model does not read are ignored.
 *
 * <h2>Longformer</h2>
 *
 * transformers {@code src/transformers/models/longformer/modeling_longformer.py} (commit
 * 010a915c):
 *
 * <ul>
 *   <li>{@code LongformerModel.forward}: {@code _merge_to_attention_mask} (mask · (global + 1):
 *       0 masked, 1 local, 2 global; a global token the attention mask excludes is masked), then
 *       {@code _pad_to_window_size}: pad to a multiple of {@code max(attention_window)} with the
 *       pad id, mask 0, token type 0. The padding is cut off after the encoder; the pooler reads
 *       row 0.
 *   <li>{@code LongformerEmbeddings}: word + position + token type, {@code LayerNorm}; positions
 *       from {@code create_position_ids_from_input_ids} (pads: {@code pad_token_id}; others
 *       count non-pad ids from {@code pad_token_id + 1}, from the ids, not the attention mask).
 *   <li>{@code LongformerSelfAttention.forward}: {@code query / √d}; one side {@code w =
 *       attention_window[layer] / 2}; a local row attends keys {@code |i − j| ≤ w} that are
 *       neither masked nor global ({@code _sliding_chunks_query_key_matmul} plus the {@code
 *       attention_mask != 0} diagonal mask) and every global key ({@code
 *       _concat_with_global_key_attn_probs}), with the local key/value, in one softmax; a global
 *       row attends every unmasked key with {@code query_global / √d}, {@code key_global}, {@code
 *       value_global} ({@code _compute_global_attn_output_from_hidden}); masked rows output 0.
 *   <li>{@code LongformerSelfOutput}, {@code LongformerIntermediate}, {@code LongformerOutput}
 *       (BERT's), {@code LongformerPooler}: {@code tanh(pooler.dense(h[0]))}.
 * </ul>
 *
 * <h2>BigBird</h2>
 *
 * transformers {@code src/transformers/models/big_bird/modeling_big_bird.py} (commit 48c8c8db):
 *
 * <ul>
 *   <li>{@code BigBirdModel.forward}: {@code block_sparse} switches to {@code original_full} when
 *       the unpadded {@code seq_length <= (5 + 2 · num_random_blocks) · block_size} (HF switches
 *       the model for good; here each call decides). Block-sparse input is padded by {@code
 *       _pad_to_block_size} (pad id, mask 0, token type 0), cut off after the encoder; the
 *       pooler reads row 0 and is a bare {@code nn.Linear} named {@code pooler} ({@code
 *       pooler.weight}, {@code pooler.bias}), then tanh.
 *   <li>{@code BigBirdEmbeddings}: {@code word · √hidden} if {@code rescale_embeddings}, {@code
 *       + token_type + position} (positions {@code 0..n−1}), {@code LayerNorm}.
 *   <li>{@code original_full}: {@code BigBirdSelfAttention}, {@code q·k/√d + (1 − mask_j) ·
 *       finfo(float32).min} ({@code get_extended_attention_mask}), every key.
 *   <li>{@code block_sparse}: {@code bigbird_block_sparse_attention}; the key blocks of each query
 *       block are {@link BigBirdReference#keyBlocks}, the random blocks from {@code rand_attn}
 *       ({@link RefInputs#randomLayout}, zeros by default: {@code _bigbird_block_rand_mask} and
 *       {@code _bigbird_block_rand_mask_with_head} return zeros when not training). One softmax
 *       over the concatenation, so a block listed twice counts twice; masking adds {@code −10000
 *       · (1 − mask)} with {@code to_mask}, {@code band_mask} or {@code rand_mask} as HF does (the
 *       last two include the query's mask), and the row is multiplied by {@code from_mask}.
 *   <li>{@code BigBirdSelfOutput}, {@code BigBirdIntermediate}, {@code BigBirdOutput} (BERT's).
 * </ul>
 *
 * <h2>Fastformer</h2>
 *
 * github wuch15/Fastformer {@code Fastformer.ipynb} (commit eb54b988; config {@code
 * fastformer.json} read as a {@code BertConfig}):
 *
 * <ul>
 *   <li>{@code Model.forward}: {@code mask = input_ids.bool()}, i.e. {@code id != 0}; here {@code
 *       id != padTokenId} unless an attention mask is given (the same for pad id 0, the code's
 *       {@code padding_idx}).
 *   <li>{@code FastformerEncoder.forward}: {@code word_embedding(ids) +
 *       fastformer_model.position_embeddings(0..L−1)}, {@code fastformer_model.LayerNorm}; no
 *       token types; extended mask {@code (1 − mask) · −10000}; layers {@code
 *       fastformer_model.encoders.N}; {@code poolers[0]} on the last layer's output with the
 *       0/1 mask.
 *   <li>{@code FastSelfAttention.forward} (see {@code FastformerReference}), then {@code
 *       BertSelfOutput}, {@code BertIntermediate}, {@code BertOutput}.
 *   <li>{@code AttentionPooling.forward}: {@code exp(att_fc2(tanh(att_fc1(x)))) · mask / (Σ +
 *       1e-8)}, weighted sum; this is {@link RefOutputs#poolerOutput}.
 * </ul>
 *
 * <h2>Shared</h2>
 *
 * transformers {@code src/transformers/activations.py} ({@code ACT2FN}: see {@code Activation};
 * {@code gelu} is exact, with an erf accurate to about 1e-16); {@code nn.LayerNorm} with biased
 * variance.
 */
public final class ReferenceModels {

    private ReferenceModels() {}

    /** Hugging Face's {@code LongformerModel} (with pooler) on {@code in}. */
    public static RefOutputs longformer(RefConfig c, Map<String, float[]> w, RefInputs in) {
        requireFamily(c, RefConfig.LONGFORMER);
        return LongformerReference.run(c, w, in);
    }

    /** Hugging Face's {@code BigBirdModel} (with pooler) on {@code in}. */
    public static RefOutputs bigBird(RefConfig c, Map<String, float[]> w, RefInputs in) {
        requireFamily(c, RefConfig.BIG_BIRD);
        return BigBirdReference.run(c, w, in);
    }

    /**
     * The official Fastformer's encoder ({@code fastformer_model}, with {@code word_embedding})
     * on {@code in}; {@code poolerOutput} is {@code poolers[0]}'s attention pooling.
     */
    public static RefOutputs fastformer(RefConfig c, Map<String, float[]> w, RefInputs in) {
        requireFamily(c, RefConfig.FASTFORMER);
        return FastformerReference.run(c, w, in);
    }

    /**
     * Every tensor the model of {@code c} reads, with its shape, in a fixed order ({@code
     * typeVocab} unused for Fastformer).
     */
    public static Map<String, long[]> shapes(RefConfig c, int vocab, int maxPositions, int typeVocab) {
        return switch (c.family()) {
            case RefConfig.LONGFORMER -> LongformerReference.shapes(c, vocab, maxPositions, typeVocab);
            case RefConfig.BIG_BIRD -> BigBirdReference.shapes(c, vocab, maxPositions, typeVocab);
            default -> FastformerReference.shapes(c, vocab, maxPositions);
        };
    }

    /**
     * Random weights for every tensor of {@link #shapes}, the same for the same arguments:
     * {@code nn.Linear} weights normal with standard deviation {@code 1/√in} (so activations and
     * attention scores stay of order 1 and attention is far from uniform), embeddings standard
     * normal, biases normal with deviation 0.1, LayerNorm weights {@code 1 + N(0, 0.1²)}.
     */
    public static Map<String, float[]> randomWeights(
            RefConfig c, int vocab, int maxPositions, int typeVocab, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, float[]> w = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e :
                shapes(c, vocab, maxPositions, typeVocab).entrySet()) {
            String name = e.getKey();
            long[] shape = e.getValue();
            float[] t = new float[Math.toIntExact(shape.length == 1 ? shape[0] : shape[0] * shape[1])];
            boolean layerNorm = name.contains("LayerNorm");
            boolean embedding = name.contains("embedding");
            for (int i = 0; i < t.length; i++) {
                double g = gaussian(rnd);
                if (shape.length == 1) {
                    t[i] = (float) (layerNorm && name.endsWith(".weight") ? 1 + 0.1 * g : 0.1 * g);
                } else {
                    t[i] = (float) (embedding ? g : g / Math.sqrt(shape[1]));
                }
            }
            w.put(name, t);
        }
        return w;
    }

    private static double gaussian(SplittableRandom rnd) {
        // Box–Muller: SplittableRandom has no nextGaussian on Java 17.
        double u = 1 - rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }

    private static void requireFamily(RefConfig c, String family) {
        if (!c.family().equals(family)) {
            throw new IllegalArgumentException("this model needs a " + family + " config, got " + c.family());
        }
    }
}
