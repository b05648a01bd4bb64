package dev.attnc.compiler.interp;

import java.util.Arrays;

/**
 * What a mask depends on besides the spec: the sequence length, the layer and head, and the
 * runtime inputs of one batch item ({@code global_mask} as token indices, and the explicit
 * random layout of this head, {@code layout[queryBlock][r]}).
 */
public record RuntimeInputs(int n, int layer, int head, int[] globalTokens, int[][] layout) {

    public RuntimeInputs {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, got " + n);
        }
        if (layer < 0 || head < 0) {
            throw new IllegalArgumentException("layer and head must be >= 0, got " + layer + ", " + head);
        }
        globalTokens = globalTokens == null ? new int[0] : globalTokens.clone();
        layout = layout == null ? null : Arrays.stream(layout).map(int[]::clone).toArray(int[][]::new);
    }

    /** Length {@code n} at layer 0, head 0, with no runtime inputs. */
    public static RuntimeInputs of(int n) {
        return new RuntimeInputs(n, 0, 0, null, null);
    }

    public RuntimeInputs at(int layer, int head) {
        return new RuntimeInputs(n, layer, head, globalTokens, layout);
    }

    public RuntimeInputs withGlobals(int... tokens) {
        return new RuntimeInputs(n, layer, head, tokens, layout);
    }

    public RuntimeInputs withLayout(int[][] layout) {
        return new RuntimeInputs(n, layer, head, globalTokens, layout);
    }
}
