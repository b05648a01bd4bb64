package dev.attnc.runtime.testing.reference;

/**
 * One query row of one head attending an explicit list of keys: {@code out = Σ_t p_t · v[keys[t]]}
 * with {@code p = softmax_t(scale · q·k[keys[t]] + added[t])} (max subtracted, as {@code
 * torch.softmax}). A key listed twice is two entries of the softmax, as in a concatenation of
 * key blocks. The head's features are {@code [offset, offset + headDim)} of each row.
 */
final class ListedKeyAttention {

    private ListedKeyAttention() {}

    /** Writes the head's slice of {@code out}; {@code added} may be {@code null} (all zero). */
    static void attend(
            double[] q,
            double[][] k,
            double[][] v,
            int offset,
            int headDim,
            int[] keys,
            double[] added,
            double scale,
            double[] out) {
        int n = keys.length;
        double[] s = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < n; t++) {
            double dot = 0;
            for (int x = 0; x < headDim; x++) {
                dot += q[offset + x] * k[keys[t]][offset + x];
            }
            s[t] = scale * dot + (added == null ? 0 : added[t]);
            max = Math.max(max, s[t]);
        }
        double sum = 0;
        for (int t = 0; t < n; t++) {
            s[t] = Math.exp(s[t] - max);
            sum += s[t];
        }
        for (int x = 0; x < headDim; x++) {
            out[offset + x] = 0;
        }
        for (int t = 0; t < n; t++) {
            double p = s[t] / sum;
            for (int x = 0; x < headDim; x++) {
                out[offset + x] += p * v[keys[t]][offset + x];
            }
        }
    }
}
