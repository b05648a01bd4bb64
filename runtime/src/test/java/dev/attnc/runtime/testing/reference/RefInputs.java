package dev.attnc.runtime.testing.reference;

/**
 * One batch for a reference model: {@code inputIds} is {@code [B][L]}, rectangular, {@code L >= 1}.
 * Optional arrays ({@code null} = absent) have the same shape, and masks hold 0 or 1:
 *
 * <ul>
 *   <li>{@code attentionMask}: absent = all ones; for Fastformer absent = {@code id != padTokenId}.
 *   <li>{@code globalAttentionMask}: Longformer only.
 *   <li>{@code tokenTypeIds}: absent = zeros; Longformer and BigBird (Fastformer has none).
 *   <li>{@code randomLayout}: BigBird only, {@code [layers][heads][nb - 2][numRandomBlocks]},
 *       Hugging Face's per-layer {@code rand_attn} (rows for query blocks 1..nb-2, {@code nb} the
 *       block count after padding to the block size); absent = all zeros, as Hugging Face draws
 *       in eval mode. Checked against {@code nb} when block-sparse attention runs, ignored when
 *       the model runs {@code original_full}.
 * </ul>
 *
 * @throws IllegalArgumentException naming the array and the expected shape or values
 */
public record RefInputs(
        int[][] inputIds,
        int[][] attentionMask,
        int[][] globalAttentionMask,
        int[][] tokenTypeIds,
        int[][][][] randomLayout) {

    public RefInputs {
        if (inputIds == null || inputIds.length == 0 || inputIds[0] == null || inputIds[0].length == 0) {
            throw new IllegalArgumentException("inputIds must be [B][L] with B >= 1 and L >= 1");
        }
        int length = inputIds[0].length;
        for (int b = 0; b < inputIds.length; b++) {
            if (inputIds[b] == null || inputIds[b].length != length) {
                throw new IllegalArgumentException("inputIds[" + b + "] must have length " + length);
            }
        }
        checkShape("attentionMask", attentionMask, inputIds.length, length, true);
        checkShape("globalAttentionMask", globalAttentionMask, inputIds.length, length, true);
        checkShape("tokenTypeIds", tokenTypeIds, inputIds.length, length, false);
    }

    /** Only token ids: every other input absent. */
    public static RefInputs of(int[][] inputIds) {
        return new RefInputs(inputIds, null, null, null, null);
    }

    /** {@code B}. */
    public int batch() {
        return inputIds.length;
    }

    /** {@code L}. */
    public int length() {
        return inputIds[0].length;
    }

    private static void checkShape(String name, int[][] a, int batch, int length, boolean zeroOrOne) {
        if (a == null) {
            return;
        }
        if (a.length != batch) {
            throw new IllegalArgumentException(
                    name + " must be [" + batch + "][" + length + "], has " + a.length + " rows");
        }
        for (int b = 0; b < batch; b++) {
            if (a[b] == null || a[b].length != length) {
                throw new IllegalArgumentException(name + "[" + b + "] must have length " + length);
            }
            for (int i = 0; i < length; i++) {
                if (zeroOrOne ? a[b][i] != 0 && a[b][i] != 1 : a[b][i] < 0) {
                    throw new IllegalArgumentException(name + "[" + b + "][" + i + "] must be "
                            + (zeroOrOne ? "0 or 1" : ">= 0") + ", got " + a[b][i]);
                }
            }
        }
    }
}
