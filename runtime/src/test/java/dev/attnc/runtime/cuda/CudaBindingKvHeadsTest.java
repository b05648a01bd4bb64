package dev.attnc.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.TensorLayout;
import org.junit.jupiter.api.Test;

/** Header word 13 of the packed binding: the kv heads G of a grouped-query call, 0 when G = H. */
class CudaBindingKvHeadsTest {

    private static int[] words(AttentionShape s) {
        return CudaBinding.pack(
                        new DenseTestBinding(s.headDim()),
                        DeviceInputs.metadata(s, TensorLayout.BHLD).build(),
                        16,
                        s.headDim())
                .words();
    }

    @Test
    void wordThirteenIsTheKvHeadCount() {
        assertEquals(2, words(new AttentionShape(2, 8, 9, 4, 2))[13]);
        assertEquals(1, words(new AttentionShape(1, 3, 9, 4, 1))[13]);
        assertEquals(0, words(new AttentionShape(2, 8, 9, 4, 8))[13]);
        assertEquals(0, words(new AttentionShape(2, 8, 9, 4))[13]);
        int[] w = words(new AttentionShape(2, 8, 9, 4, 4));
        assertEquals(8, w[2]); // H stays the query heads
        assertEquals(0, w[14]);
        assertEquals(0, w[15]);
    }
}
