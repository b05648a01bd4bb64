package dev.attnc.runtime.nn;

/**
 * What one encoder call knows besides the activations: the batch shape, which tokens are real,
 * which are global (Longformer), the random-block tables given as input (BigBird), and the
 * call's {@link Workspace}.
 *
 * @param batch batch items
 * @param length tokens per item
 * @param keyValid {@code boolean[batch·length]}, false for padding; never null
 * @param globalMask {@code boolean[batch·length]}, true for tokens with global attention (always
 *     real tokens), or null for none
 * @param randomLayouts per layer, the kernel-form random table {@code [heads, nBlocks, r]} (see
 *     {@link BigBirdLayout}), or null when the kernels draw their own
 * @param workspace the call's buffers
 */
public record EncoderCall(
        int batch,
        int length,
        boolean[] keyValid,
        boolean[] globalMask,
        BigBirdLayout[] randomLayouts,
        Workspace workspace) {

    /** Tokens in the call: {@code batch·length}. */
    public int rows() {
        return batch * length;
    }

    /** Whether any token of the call is global. */
    public boolean anyGlobal() {
        if (globalMask == null) {
            return false;
        }
        for (boolean g : globalMask) {
            if (g) {
                return true;
            }
        }
        return false;
    }

    /** The layer's given random table, or null. */
    public BigBirdLayout randomLayout(int layer) {
        return randomLayouts == null ? null : randomLayouts[layer];
    }
}
