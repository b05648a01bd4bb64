package dev.attnc.compiler.ir;

import java.util.Arrays;

/**
 * What a mask depends on besides the spec: the sequence length, the layer and head, and the
 * runtime inputs of one batch item ({@code global_mask} as token indices, the explicit random
 * layout of this head, {@code layout[queryBlock][r]}, the {@code segment_ids} of the item's
 * {@code n} tokens, null meaning one segment holding every token, and the prefix length of the
 * {@code keys from input} / {@code queries from input} sets: tokens {@code 0 .. prefixLength - 1},
 * none when it is 0 or not given).
 */
public record MaskBindings(
        int n, int layer, int head, int[] globalTokens, int[][] layout, int[] segmentIds, int prefixLength) {

    public MaskBindings {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, got " + n);
        }
        if (layer < 0 || head < 0) {
            throw new IllegalArgumentException("layer and head must be >= 0, got " + layer + ", " + head);
        }
        if (segmentIds != null && segmentIds.length != n) {
            throw new IllegalArgumentException(
                    "segmentIds: expected " + n + " ids (one per token), got " + segmentIds.length);
        }
        if (prefixLength < 0) {
            throw new IllegalArgumentException("prefix length must be >= 0, got " + prefixLength);
        }
        globalTokens = globalTokens == null ? new int[0] : globalTokens.clone();
        layout = layout == null ? null : Arrays.stream(layout).map(int[]::clone).toArray(int[][]::new);
        segmentIds = segmentIds == null ? null : segmentIds.clone();
    }

    /** Without segment ids (one segment) and without a prefix length. */
    public MaskBindings(int n, int layer, int head, int[] globalTokens, int[][] layout) {
        this(n, layer, head, globalTokens, layout, null, 0);
    }

    /** Without a prefix length (the {@code from input} key and query sets are empty). */
    public MaskBindings(int n, int layer, int head, int[] globalTokens, int[][] layout, int[] segmentIds) {
        this(n, layer, head, globalTokens, layout, segmentIds, 0);
    }

    /** Without segment ids (one segment). */
    public MaskBindings(int n, int layer, int head, int[] globalTokens, int[][] layout, int prefixLength) {
        this(n, layer, head, globalTokens, layout, null, prefixLength);
    }

    /** Length {@code n} at layer 0, head 0, with no runtime inputs. */
    public static MaskBindings of(int n) {
        return new MaskBindings(n, 0, 0, null, null);
    }

    public MaskBindings at(int layer, int head) {
        return new MaskBindings(n, layer, head, globalTokens, layout, segmentIds, prefixLength);
    }

    public MaskBindings withGlobals(int... tokens) {
        return new MaskBindings(n, layer, head, tokens, layout, segmentIds, prefixLength);
    }

    public MaskBindings withLayout(int[][] layout) {
        return new MaskBindings(n, layer, head, globalTokens, layout, segmentIds, prefixLength);
    }

    /** The segment id of each of the {@code n} tokens (null: one segment). */
    public MaskBindings withSegments(int... ids) {
        return new MaskBindings(n, layer, head, globalTokens, layout, ids, prefixLength);
    }

    /** These bindings with the run-time prefix length {@code prefix_len[b]} (clamped to {@code n} by readers). */
    public MaskBindings withPrefix(int prefixLength) {
        return new MaskBindings(n, layer, head, globalTokens, layout, segmentIds, prefixLength);
    }
}
