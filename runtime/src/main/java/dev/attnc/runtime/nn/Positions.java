package dev.attnc.runtime.nn;

/**
 * How a model numbers its tokens' positions.
 *
 * <ul>
 *   <li>{@link #roberta(int)}: RoBERTa and Longformer ({@code create_position_ids_from_input_ids}
 *       in Hugging Face): a real token's position is the count of real tokens up to and
 *       including it, plus {@code padding_idx}; padding tokens get {@code padding_idx}.
 *   <li>{@link #fromZero()}: BERT, BigBird and Fastformer: {@code 0 .. L−1}.
 * </ul>
 */
public record Positions(boolean roberta, int paddingIdx) {

    public static Positions roberta(int paddingIdx) {
        return new Positions(true, paddingIdx);
    }

    public static Positions fromZero() {
        return new Positions(false, 0);
    }

    /** Positions of one sequence {@code ids[off .. off+len)}. */
    public void fill(int[] ids, int off, int len, int[] positions) {
        if (!roberta) {
            for (int i = 0; i < len; i++) {
                positions[i] = i;
            }
            return;
        }
        int count = 0;
        for (int i = 0; i < len; i++) {
            if (ids[off + i] != paddingIdx) {
                count++;
                positions[i] = count + paddingIdx;
            } else {
                positions[i] = paddingIdx;
            }
        }
    }

    /** The largest position a sequence of {@code len} tokens may reach. */
    public int largest(int len) {
        return roberta ? len + paddingIdx : len - 1;
    }
}
