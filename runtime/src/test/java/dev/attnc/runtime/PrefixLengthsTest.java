package dev.attnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link AttentionInputs.Builder#prefixLengths}: one length in 0..L per batch item, checked with clear messages. */
class PrefixLengthsTest {

    private static final AttentionShape SHAPE = new AttentionShape(2, 1, 5, 2);

    private static AttentionInputs.Builder builder() {
        float[] x = new float[SHAPE.elements()];
        return AttentionInputs.builder(SHAPE, TensorLayout.BHLD).qkv(x, x, x);
    }

    @Test
    void lengthsFromZeroToLAreKeptPerItem() {
        AttentionInputs in = builder().prefixLengths(0, 5).build();
        assertTrue(in.hasPrefixLengths());
        assertEquals(0, in.prefixLength(0));
        assertEquals(5, in.prefixLength(1));
    }

    @Test
    void wrongCountsAndValuesAndAMissingInputAreNamed() {
        IllegalArgumentException count = assertThrows(
                IllegalArgumentException.class,
                () -> builder().prefixLengths(1, 2, 3).build());
        assertEquals(
                "prefixLengths (prefix_len): expected int [B] = [2] (one prefix length per batch item), got 3 values",
                count.getMessage());
        IllegalArgumentException range = assertThrows(
                IllegalArgumentException.class,
                () -> builder().prefixLengths(1, 6).build());
        assertEquals("prefixLengths (prefix_len)[1] = 6 is outside 0..5 (the sequence length L)", range.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> builder().prefixLengths(-1, 0).build());
        AttentionInputs none = builder().build();
        assertFalse(none.hasPrefixLengths());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> none.prefixLength(0));
        assertEquals(
                "prefixLengths (prefix_len) is missing: the pattern has a 'keys from input' or 'queries from input'"
                        + " set; expected int [B] = [2], one prefix length in 0..5 per batch item",
                missing.getMessage());
    }
}
