package dev.attnc.runtime;

/**
 * A compiled Fastformer additive-attention pattern (docs/DESIGN.md §3): one call computes a whole
 * batch, token-major {@code [B, L, H·d]}. Implementations are thread-safe and reusable.
 */
public interface AdditiveKernel {

    /** The pattern's name, as in its spec. */
    String name();

    /** The head dimension the kernel was generated for. */
    int headDim();

    /** Writes the output {@code [B, L, H·d]} into {@code out}. */
    void compute(AdditiveInputs in, float[] out);

    /** Allocates the output and computes into it. */
    default float[] compute(AdditiveInputs in) {
        float[] out = new float[in.shape().elements()];
        compute(in, out);
        return out;
    }
}
