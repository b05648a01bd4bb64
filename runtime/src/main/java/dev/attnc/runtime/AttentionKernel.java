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

    /** Allocates the output and computes into it. */
    default float[] compute(AttentionInputs in) {
        float[] out = new float[in.shape().elements()];
        compute(in, out);
        return out;
    }
}
