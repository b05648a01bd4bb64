package dev.attnc.bench.suite;

/**
 * What one kernel call of the grid computes, counted exactly: the shape (batch 1), the attended
 * pairs summed over heads (softmax patterns; {@code -1} for additive ones) and the floating-point
 * operations the GFLOP/s figures divide by ({@link Workloads} states the counts).
 *
 * @param pattern  the pattern's name (or a baseline's, e.g. {@code dense_reference})
 * @param n        sequence length
 * @param heads    heads per call
 * @param headDim  {@code d}
 * @param layer    the layer whose per-layer settings apply
 * @param pairs    attended (query, key) pairs over all heads, or {@code -1} for additive attention
 * @param flops    floating-point operations per call
 * @param growth   how the pairs grow with n: {@link Growth#LINEAR} or {@link Growth#QUADRATIC}
 */
public record Workload(
        String pattern, int n, int heads, int headDim, int layer, long pairs, double flops, Growth growth) {

    /** How a pattern's work grows with the sequence length. */
    public enum Growth {
        LINEAR,
        QUADRATIC;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Workload {
        if (n < 1 || heads < 1 || headDim < 1 || layer < 0 || flops < 0) {
            throw new IllegalArgumentException("workload " + pattern + ": n, heads, headDim must be >= 1, layer and"
                    + " flops >= 0, got n=" + n + " heads=" + heads + " d=" + headDim + " layer=" + layer
                    + " flops=" + flops);
        }
    }

    /** The key of a grid point. */
    public String key() {
        return key(pattern, n);
    }

    public static String key(String pattern, int n) {
        return pattern + "@" + n;
    }
}
