package dev.attnc.compiler.interp;

import java.util.function.ObjIntConsumer;

/**
 * A mask evaluated by the interpreter one query row at a time, for masks too large to hold as
 * a {@link DenseMask}: memory is {@code O(n)} per term (plus the random-block tables), and the
 * last row read is kept, so reading row by row evaluates each row once. Not thread-safe.
 */
public final class MaskRows {

    private final int n;
    private final ObjIntConsumer<int[]> eval;
    private final int[] row;
    private int current = -1;

    MaskRows(int n, ObjIntConsumer<int[]> eval) {
        this.n = n;
        this.eval = eval;
        this.row = new int[n];
    }

    public int n() {
        return n;
    }

    /** The {@link MaskKind} bits of pair (query, key); 0 when it is not attended. */
    public int kinds(int query, int key) {
        if (query != current) {
            if (query < 0 || query >= n) {
                throw new IndexOutOfBoundsException("query " + query + " outside 0.." + (n - 1));
            }
            eval.accept(row, query);
            current = query;
        }
        return row[key];
    }
}
