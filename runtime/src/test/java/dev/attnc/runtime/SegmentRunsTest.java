package dev.attnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@code AttentionInputs.Builder.segmentIds}: size checked with the expected shape, segments built once per item. */
class SegmentRunsTest {

    private static AttentionInputs.Builder builder() {
        AttentionShape s = new AttentionShape(2, 3, 4, 2);
        return AttentionInputs.builder(s, TensorLayout.BHLD)
                .qkv(new float[s.elements()], new float[s.elements()], new float[s.elements()]);
    }

    @Test
    void theWrongNumberOfIdsIsNamedWithTheExpectedShape() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> builder().segmentIds(new int[5]).build());
        assertEquals("segmentIds: expected int[B, L] = [2, 4] (8 ints), got 5 ints", e.getMessage());
    }

    @Test
    void eachBatchItemHasItsOwnSegmentsBuiltOnce() {
        AttentionInputs in =
                builder().segmentIds(new int[] {1, 1, 2, 1, 0, 1, 2, 3}).build();
        SegmentRuns first = in.segments(0);
        assertSame(first, in.segments(0));
        assertEquals(2, first.count());
        assertEquals(3, first.runCount());
        assertEquals(4, in.segments(1).count());
        assertEquals(1, in.segments(1).length(3));
        assertThrows(IllegalStateException.class, () -> builder().build().segments(0));
    }
}
