package dev.attnc.compiler.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.attnc.compiler.ir.MaskBindings;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

/**
 * The model settings of docs/LANGUAGE.md's table against the rule Hugging Face applies,
 * written here as a predicate on (query, key) and compared pair by pair at small sizes
 * (the window and chunk scaled down; the rules do not depend on the size).
 */
class ModelSettingsTest {

    /** HF Mistral: keep k when k <= q and k > q - sliding_window. */
    @Test
    void mistralSlidingWindowIsCausalAndWMinusOneBefore() {
        for (int w = 1; w <= 5; w++) {
            int sw = w;
            String spec = "pattern p { head_dim 8 causal & window " + (w - 1) + " before }";
            assertSame(spec, (q, k) -> k <= q && k > q - sw, 23);
        }
    }

    /** The two-sided reading the docs warn about is not Mistral's window. */
    @Test
    void windowWithoutASideIsTwoSided() {
        assertSame("pattern p { head_dim 8 window 4 }", (q, k) -> Math.abs(q - k) <= 4, 17);
    }

    /** HF Llama 4 chunked attention: keep k when k <= q and k // chunk == q // chunk. */
    @Test
    void llama4ChunkedAttentionIsCausalOwnBlock() {
        for (int chunk = 1; chunk <= 6; chunk++) {
            int c = chunk;
            String spec = "pattern p { head_dim 8 block " + chunk + " causal & window 1 block }";
            for (int n : new int[] {1, chunk, 3 * chunk + 1, 29}) {
                assertSame(spec, (q, k) -> k <= q && k / c == q / c, n);
            }
        }
    }

    private static void assertSame(String spec, BiPredicate<Integer, Integer> rule, int n) {
        DenseMask m = MaskInterpreterTest.eval(spec, "p", MaskBindings.of(n));
        for (int q = 0; q < n; q++) {
            for (int k = 0; k < n; k++) {
                assertEquals(rule.test(q, k), m.allowed(q, k), spec + " at n=" + n + ", q=" + q + ", k=" + k);
            }
        }
    }
}
