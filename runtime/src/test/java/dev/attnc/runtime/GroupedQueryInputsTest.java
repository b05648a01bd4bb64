package dev.attnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Grouped-query attention at the runtime's edge: the shape's kv heads, the validation messages
 * of k, v, kg, vg with G heads, and the dense reference's kv head (checked on a case whose
 * answer is known without it, tolerance 1e-12 in double).
 */
class GroupedQueryInputsTest {

    @Test
    void theFourArgumentShapeHasOneKvHeadPerHead() {
        AttentionShape s = new AttentionShape(2, 6, 5, 4);
        assertEquals(6, s.kvHeads());
        assertEquals(s, s.kvShape());
        assertEquals(s.elements(), s.kvElements());
    }

    @Test
    void queryHeadsShareKvHeadsInRepeatKvOrder() {
        AttentionShape s = new AttentionShape(1, 8, 3, 2, 2);
        int[] want = {0, 0, 0, 0, 1, 1, 1, 1};
        for (int h = 0; h < 8; h++) {
            assertEquals(want[h], s.kvHead(h), "head " + h);
        }
        assertEquals(new AttentionShape(1, 2, 3, 2), s.kvShape());
        assertEquals(12, s.kvElements());
        assertEquals(0, new AttentionShape(1, 5, 3, 2, 1).kvHead(4));
    }

    @Test
    void kvHeadsMustDivideTheHeads() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new AttentionShape(1, 8, 3, 2, 3));
        assertEquals(
                "k, v: 3 kv heads do not divide 8 query heads; expected k and v with G heads ([B, G, L, D] or"
                        + " [B, L, G·D]) where G divides 8 (query head h reads kv head h / (H / G))",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AttentionShape(1, 8, 3, 2, 0));
        assertEquals("kvHeads must be at least 1, got 0", e.getMessage());
    }

    @Test
    void keysAndValuesAreCheckedAgainstTheKvHeads() {
        AttentionShape s = new AttentionShape(2, 4, 3, 5, 2);
        float[] q = new float[s.elements()];
        float[] kv = new float[s.kvElements()];
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> AttentionInputs.builder(s, TensorLayout.BHLD)
                        .qkv(q, q, kv)
                        .build());
        assertEquals(
                "k: expected float [2, 2, 3, 5] in layout BHLD (2 kv heads) (60 floats), got 120 floats",
                e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> AttentionInputs.builder(s, TensorLayout.BLHD)
                        .qkv(q, kv, q)
                        .build());
        assertEquals(
                "v: expected float [2, 3, 10] in layout BLHD (2 kv heads) (60 floats), got 120 floats", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> AttentionInputs.builder(s, TensorLayout.BHLD)
                        .qkv(q, kv, kv)
                        .globalProjections(q, q, kv)
                        .build());
        assertEquals(
                "kg: expected float [2, 2, 3, 5] in layout BHLD (2 kv heads) (60 floats), got 120 floats",
                e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> AttentionInputs.builder(s, TensorLayout.BHLD)
                        .qkv(kv, kv, kv)
                        .build());
        assertEquals("q: expected float [2, 4, 3, 5] in layout BHLD (120 floats), got 60 floats", e.getMessage());
        AttentionInputs.builder(s, TensorLayout.BHLD)
                .qkv(q, kv, kv)
                .globalProjections(q, kv, kv)
                .build();
    }

    @Test
    void additiveInputsTakeEveryHead() {
        AttentionShape s = new AttentionShape(1, 4, 3, 2, 2);
        float[] x = new float[s.elements()];
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> AdditiveInputs.builder(s).qkv(x, x, null).build());
        assertEquals("k: additive pooling takes k with every head, [1, 3, 8], not 2 kv heads", e.getMessage());
    }

    @Test
    void theReferenceReadsTheGroupsKvHead() {
        // 6 query heads over 3 kv heads, each row attending only key (i + 1) % n: the output of
        // head h is v of kv head h / 2 at that key, in either layout.
        for (TensorLayout lay : TensorLayout.values()) {
            AttentionShape s = new AttentionShape(2, 6, 5, 3, 3);
            AttentionShape kvs = s.kvShape();
            float[] q = TestArrays.gaussian(s.elements(), 1);
            float[] k = TestArrays.gaussian(s.kvElements(), 2);
            float[] v = TestArrays.gaussian(s.kvElements(), 3);
            AttentionInputs in = AttentionInputs.builder(s, lay).qkv(q, k, v).build();
            double[] out =
                    DenseReference.attention(in, (b, h, i, j) -> j == (i + 1) % 5, DenseReference.GlobalRows.NONE, 0.5);
            for (int b = 0; b < 2; b++) {
                for (int h = 0; h < 6; h++) {
                    for (int i = 0; i < 5; i++) {
                        for (int x = 0; x < 3; x++) {
                            assertEquals(
                                    v[(int) lay.index(kvs, b, h / 2, (i + 1) % 5, x)],
                                    out[(int) lay.index(s, b, h, i, x)],
                                    1e-12);
                        }
                    }
                }
            }
        }
    }
}
