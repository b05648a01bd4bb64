package dev.attnc.runtime.testing.reference;

import java.util.Arrays;
import java.util.List;

/**
 * The configuration of one reference model, the fields of a Hugging Face {@code config.json} that
 * the forward pass reads. {@code family} is {@value #LONGFORMER}, {@value #BIG_BIRD} or
 * {@value #FASTFORMER} (the official Fastformer's {@code BertConfig}). {@code hiddenAct} is
 * {@code "gelu"} (exact, erf), {@code "gelu_new"} or {@code "gelu_pytorch_tanh"} (tanh form) or
 * {@code "relu"}.
 *
 * <p>Family fields, ignored by the others: Longformer's {@code attentionWindow} (one entry per
 * layer, Hugging Face's full width: even, positive, one side is half of it; the array is copied);
 * BigBird's {@code blockSize} (positive), {@code numRandomBlocks} (at least 0), {@code
 * attentionType} ({@code "block_sparse"} or {@code "original_full"}) and {@code
 * rescaleEmbeddings}. {@code padTokenId} serves Longformer (RoBERTa positions, padding to the
 * window), BigBird (padding to the block size) and Fastformer (the default mask).
 *
 * @throws IllegalArgumentException naming the field and the expected value
 */
public record RefConfig(
        String family,
        int hidden,
        int heads,
        int layers,
        int intermediate,
        double layerNormEps,
        String hiddenAct,
        int[] attentionWindow,
        int padTokenId,
        int blockSize,
        int numRandomBlocks,
        String attentionType,
        boolean rescaleEmbeddings) {

    public static final String LONGFORMER = "longformer";
    public static final String BIG_BIRD = "big_bird";
    public static final String FASTFORMER = "fastformer";
    public static final String BLOCK_SPARSE = "block_sparse";
    public static final String ORIGINAL_FULL = "original_full";

    public RefConfig {
        if (!List.of(LONGFORMER, BIG_BIRD, FASTFORMER).contains(family)) {
            throw new IllegalArgumentException("family must be longformer, big_bird or fastformer, got " + family);
        }
        require(
                hidden > 0 && heads > 0 && hidden % heads == 0,
                "hidden " + hidden + " must be a positive multiple of heads " + heads);
        require(layers > 0, "layers must be positive, got " + layers);
        require(intermediate > 0, "intermediate must be positive, got " + intermediate);
        require(layerNormEps > 0, "layerNormEps must be positive, got " + layerNormEps);
        Activation.of(hiddenAct);
        if (family.equals(LONGFORMER)) {
            require(
                    attentionWindow != null && attentionWindow.length == layers,
                    "attentionWindow must have one entry per layer (" + layers + "), got "
                            + Arrays.toString(attentionWindow));
            for (int l = 0; l < layers; l++) {
                require(
                        attentionWindow[l] > 0 && attentionWindow[l] % 2 == 0,
                        "attentionWindow[" + l + "] must be even and positive, got " + attentionWindow[l]);
            }
        }
        attentionWindow = attentionWindow == null ? null : attentionWindow.clone();
        if (family.equals(BIG_BIRD)) {
            require(blockSize > 0, "blockSize must be positive, got " + blockSize);
            require(numRandomBlocks >= 0, "numRandomBlocks must be at least 0, got " + numRandomBlocks);
            require(
                    BLOCK_SPARSE.equals(attentionType) || ORIGINAL_FULL.equals(attentionType),
                    "attentionType must be block_sparse or original_full, got " + attentionType);
        }
    }

    /** A Longformer configuration ({@code attentionWindow}: full widths, one per layer). */
    public static RefConfig longformer(
            int hidden,
            int heads,
            int layers,
            int intermediate,
            double layerNormEps,
            String hiddenAct,
            int[] attentionWindow,
            int padTokenId) {
        return new RefConfig(
                LONGFORMER,
                hidden,
                heads,
                layers,
                intermediate,
                layerNormEps,
                hiddenAct,
                attentionWindow,
                padTokenId,
                0,
                0,
                null,
                false);
    }

    /** A BigBird configuration. */
    public static RefConfig bigBird(
            int hidden,
            int heads,
            int layers,
            int intermediate,
            double layerNormEps,
            String hiddenAct,
            int padTokenId,
            int blockSize,
            int numRandomBlocks,
            String attentionType,
            boolean rescaleEmbeddings) {
        return new RefConfig(
                BIG_BIRD,
                hidden,
                heads,
                layers,
                intermediate,
                layerNormEps,
                hiddenAct,
                null,
                padTokenId,
                blockSize,
                numRandomBlocks,
                attentionType,
                rescaleEmbeddings);
    }

    /** A Fastformer configuration (the official code's {@code BertConfig}). */
    public static RefConfig fastformer(
            int hidden,
            int heads,
            int layers,
            int intermediate,
            double layerNormEps,
            String hiddenAct,
            int padTokenId) {
        return new RefConfig(
                FASTFORMER,
                hidden,
                heads,
                layers,
                intermediate,
                layerNormEps,
                hiddenAct,
                null,
                padTokenId,
                0,
                0,
                null,
                false);
    }

    /** {@code hidden / heads}. */
    public int headDim() {
        return hidden / heads;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
