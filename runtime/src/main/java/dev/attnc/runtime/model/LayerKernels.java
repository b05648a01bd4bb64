package dev.attnc.runtime.model;

import dev.attnc.runtime.AdditiveKernel;
import dev.attnc.runtime.AttentionKernel;

/**
 * Where a model's attention kernels come from: the compiler (specs made from the config and
 * compiled, or taken from the generated library) supplies them; the runtime never compiles.
 * Called once per layer and role while a model loads; kernels are cached by the supplier as it
 * likes (equal specs may share one kernel).
 */
public interface LayerKernels {

    /** The softmax kernel of {@code layer} for {@code role}. */
    AttentionKernel attention(int layer, Role role);

    /** The additive (Fastformer) kernel of {@code layer}. */
    AdditiveKernel additive(int layer);

    /** Which softmax pattern a layer needs. */
    enum Role {
        /** The layer's sparse pattern: Longformer's window and globals, BigBird with attnc's seeded random blocks. */
        PATTERN,
        /** BigBird with the random blocks given as input ({@code random_layout}). */
        PATTERN_GIVEN_LAYOUT,
        /** Full attention with padding (BigBird's {@code original_full}, and its short-sequence fallback). */
        FULL
    }
}
