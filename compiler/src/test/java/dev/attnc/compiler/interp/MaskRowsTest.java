package dev.attnc.compiler.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.attnc.compiler.frontend.CompilationUnit;
import dev.attnc.compiler.ir.MaskBindings;
import org.junit.jupiter.api.Test;

/** {@link MaskInterpreter#rows}: the same kinds, pair by pair, as the dense {@link MaskInterpreter#evaluate}. */
class MaskRowsTest {

    @Test
    void rowsAgreeWithTheDenseMaskPairByPairInAnyReadingOrder() {
        CompilationUnit u = MaskInterpreterTest.unit("""
                pattern p {
                  head_dim 8
                  block 4
                  causal & window 5 before
                  global first 2 tokens
                  random blocks from input
                }
                """);
        int n = 37;
        int[][] layout = new int[10][];
        for (int qb = 0; qb < 10; qb++) {
            layout[qb] = new int[] {(qb * 7) % 10, (qb * 3 + 1) % 10};
        }
        MaskBindings in = new MaskBindings(n, 0, 0, new int[] {11}, layout);
        DenseMask dense = MaskInterpreter.evaluate(u, "p", in);
        MaskRows rows = MaskInterpreter.rows(u, "p", in);
        assertEquals(n, rows.n());
        for (int q = 0; q < n; q++) {
            for (int k = 0; k < n; k++) {
                assertEquals(dense.kinds(q, k), rows.kinds(q, k), "pair (" + q + ", " + k + ")");
            }
        }
        // Column-major reading re-evaluates rows and still agrees.
        for (int k = n - 1; k >= 0; k--) {
            for (int q = 0; q < n; q++) {
                assertEquals(dense.kinds(q, k), rows.kinds(q, k), "pair (" + q + ", " + k + ")");
            }
        }
        assertThrows(IndexOutOfBoundsException.class, () -> rows.kinds(n, 0));
        assertThrows(
                IllegalArgumentException.class,
                () -> MaskInterpreter.rows(u, "p", MaskBindings.of(MaskInterpreter.ROWS_MAX_N + 1)));
    }
}
