package dev.attnc.compiler.analysis;

import java.util.Arrays;

/**
 * What the analysis of one mask needs besides the IR: the sequence length, the layer and
 * head, and for one batch item the runtime global tokens ({@code global_mask}) and this
 * head's explicit random layout ({@code layout[queryBlock][r]}). Without them, "from input"
 * parts select nothing.
 */
public record Bindings(int n, int layer, int head, int[] globalTokens, int[][] layout) {

    public Bindings {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, got " + n);
        }
        if (layer < 0 || head < 0) {
            throw new IllegalArgumentException("layer and head must be >= 0, got " + layer + ", " + head);
        }
        globalTokens = globalTokens == null ? new int[0] : globalTokens.clone();
        layout = layout == null ? null : Arrays.stream(layout).map(int[]::clone).toArray(int[][]::new);
    }

    public static Bindings of(int n) {
        return new Bindings(n, 0, 0, null, null);
    }

    public Bindings at(int layer, int head) {
        return new Bindings(n, layer, head, globalTokens, layout);
    }

    public Bindings withGlobals(int... tokens) {
        return new Bindings(n, layer, head, tokens, layout);
    }

    public Bindings withLayout(int[][] layout) {
        return new Bindings(n, layer, head, globalTokens, layout);
    }
}
