package dev.attnc.runtime.model;

/**
 * The inputs of one model call, as Hugging Face names them; every array is {@code [batch,
 * length]} row-major unless said otherwise, null when not given.
 *
 * @param inputIds token ids
 * @param attentionMask 1 for real tokens, 0 for padding (default: all real; Fastformer: ids ≠ pad)
 * @param globalAttentionMask Longformer: 1 for tokens with global attention
 * @param tokenTypeIds token types (default 0)
 * @param randomLayout BigBird: Hugging Face's random tables {@code [layers, heads, nb − 2, r]}
 */
public record ModelInputs(
        int batch,
        int length,
        int[] inputIds,
        int[] attentionMask,
        int[] globalAttentionMask,
        int[] tokenTypeIds,
        int[] randomLayout) {

    public ModelInputs {
        if (batch < 1 || length < 1) {
            throw new ModelException(
                    "input_ids: expected [batch, length] with both at least 1, got [" + batch + ", " + length + "]");
        }
        if ((long) batch * length > Integer.MAX_VALUE / 8) {
            throw new ModelException("input_ids: [" + batch + ", " + length + "] is too large for one call");
        }
        check("input_ids", inputIds, batch, length, true);
        check("attention_mask", attentionMask, batch, length, false);
        check("global_attention_mask", globalAttentionMask, batch, length, false);
        check("token_type_ids", tokenTypeIds, batch, length, false);
    }

    /** Ids only: every token real. */
    public static ModelInputs of(int batch, int length, int[] inputIds) {
        return new ModelInputs(batch, length, inputIds, null, null, null, null);
    }

    private static void check(String name, int[] a, int batch, int length, boolean required) {
        if (a == null) {
            if (required) {
                throw new ModelException(name + " is missing: expected int [" + batch + ", " + length + "]");
            }
            return;
        }
        if (a.length != batch * length) {
            throw new ModelException(name + ": expected int [" + batch + ", " + length + "] (as input_ids), got "
                    + a.length + " values");
        }
    }
}
