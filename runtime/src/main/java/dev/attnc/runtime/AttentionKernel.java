package dev.attnc.runtime;

/**
 * A compiled softmax-attention pattern: one call computes attention for a whole batch.
 * Implementations are thread-safe and reusable: they keep no state between calls.
 */
public interface AttentionKernel {

    /** The pattern's name, as in its spec. */
    String name();

    /** The head dimension the kernel was generated for. */
    int headDim();

    /** Writes the attention output into {@code out}, in the inputs' layout and shape. */
    void compute(AttentionInputs in, float[] out);

    /**
     * Like {@link #compute(AttentionInputs, float[])}, and writes each row's natural-log log-sum-exp of its scaled scores,
     * {@code lse[((b·H + h)·L) + i] = ln Σ_{j∈S(i)} exp(s·q_i·k_j)} (with the global projections
     * for global rows when given); {@link Float#NEGATIVE_INFINITY} for rows with no key (empty
     * {@code S(i)}) and for invalid (padding) query rows. {@code lse} has {@code B·H·L} floats
     * ({@link AttentionInputs#checkLogSumExp}). With it a caller can merge the kernel's output with
     * the softmax over further keys it computes itself: {@code out' = (e^{lse}·out + e^{lse₂}·out₂)
     * / (e^{lse} + e^{lse₂})}. Kernels that cannot return it throw
     * {@link UnsupportedOperationException} (the default); {@link #returnsLogSumExp()} says which.
     */
    default void compute(AttentionInputs in, float[] out, float[] lse) {
        throw new UnsupportedOperationException(
                name() + " (" + getClass().getSimpleName() + ") does not return the log-sum-exp");
    }

    /** Whether {@link #compute(AttentionInputs, float[], float[])} is supported. */
    default boolean returnsLogSumExp() {
        return false;
    }

    /** Allocates the output and computes into it. */
    default float[] compute(AttentionInputs in) {
        float[] out = new float[in.shape().elements()];
        compute(in, out);
        return out;
    }
}
