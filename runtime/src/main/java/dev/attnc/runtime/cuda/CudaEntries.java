package dev.attnc.runtime.cuda;

/**
 * The names of the {@code extern "C"} entries of a generated CUDA file, in one place for the
 * compiler's emitter that writes them, the JCuda host code that loads them and the CPU
 * emulator that runs them, so that no two of them can disagree:
 * <pre>
 *   softmax pattern p:   p_f32  p_f16  p_bf16                 {@link #softmax}
 *   additive pattern p:  p_pool_&lt;dt&gt;  p_combine  p_out_&lt;dt&gt;   {@link #additive}
 * </pre>
 */
public final class CudaEntries {

    /** The stages of an additive call, launched in the order of {@code attnc_additive.cuh}. */
    public enum AdditiveStage {
        /** Chunk partials of a pooling (launched twice: over q, then over g_q ⊙ k). */
        POOL("pool"),
        /** Merges the chunk partials into a pooled vector; dtype-independent (fp32 partials). */
        COMBINE("combine"),
        /** The output tile kernel: W_r (g_k ⊙ v) + b_r + q. */
        OUT("out");

        private final String word;

        AdditiveStage(String word) {
            this.word = word;
        }

        /** Whether the stage has one entry per dtype ({@link #COMBINE} has one for all). */
        public boolean perDtype() {
            return this != COMBINE;
        }
    }

    private CudaEntries() {}

    /** The entry of softmax pattern {@code pattern} for {@code dtype}: {@code <pattern>_<suffix>}. */
    public static String softmax(String pattern, CudaDtype dtype) {
        return pattern + "_" + dtype.suffix();
    }

    /**
     * The entry of additive pattern {@code pattern}'s {@code stage} for {@code dtype}:
     * {@code <pattern>_pool_<suffix>}, {@code <pattern>_combine} (which ignores the dtype),
     * {@code <pattern>_out_<suffix>}.
     */
    public static String additive(String pattern, AdditiveStage stage, CudaDtype dtype) {
        return pattern + "_" + stage.word + (stage.perDtype() ? "_" + dtype.suffix() : "");
    }
}
