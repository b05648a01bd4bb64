package dev.attnc.runtime.model;

import java.util.Locale;

/** The architectures attnc runs from Hugging Face folders, by their {@code model_type}. */
public enum ModelFamily {
    /** {@code "longformer"}: allenai/longformer-base-4096 and its fine-tunes. */
    LONGFORMER("longformer", "longformer."),
    /** {@code "big_bird"}: google/bigbird-roberta-base and its fine-tunes. */
    BIG_BIRD("big_bird", "bert."),
    /** The official Fastformer code (wuch15/Fastformer); its BertConfig has no {@code model_type}. */
    FASTFORMER("fastformer", "");

    private final String modelType;
    private final String basePrefix;

    ModelFamily(String modelType, String basePrefix) {
        this.modelType = modelType;
        this.basePrefix = basePrefix;
    }

    /** The {@code model_type} string. */
    public String modelType() {
        return modelType;
    }

    /** The base model's parameter prefix in task checkpoints ({@code longformer.}, {@code bert.}), or empty. */
    public String basePrefix() {
        return basePrefix;
    }

    /**
     * The family of a {@code model_type} value.
     *
     * @throws IllegalArgumentException naming the value and the supported ones
     */
    public static ModelFamily of(String modelType) {
        String t = modelType.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (ModelFamily f : values()) {
            if (f.modelType.equals(t) || (f == BIG_BIRD && t.equals("bigbird"))) {
                return f;
            }
        }
        throw new IllegalArgumentException(
                "model type \"" + modelType + "\" is not supported; supported: longformer, big_bird, fastformer");
    }
}
