package dev.attnc.compiler.interp;

/**
 * An {@code n × n} mask evaluated by the interpreter: for each (query, key) pair, the set of
 * term kinds that attend it ({@link MaskKind} bits; 0 = not attended). Immutable.
 */
public final class DenseMask {

    private final int n;
    private final byte[][] kinds;
    private final long count;
    private final boolean[] globalRows;

    DenseMask(byte[][] kinds, boolean[] globalRows) {
        this.n = kinds.length;
        this.kinds = kinds;
        this.globalRows = globalRows;
        long c = 0;
        for (byte[] row : kinds) {
            for (byte b : row) {
                if (b != 0) {
                    c++;
                }
            }
        }
        this.count = c;
    }

    public int n() {
        return n;
    }

    /**
     * Whether query row {@code query} is in the set of a global term of the pattern (static
     * or from the runtime mask): with separate global projections, such rows use qg, kg, vg.
     */
    public boolean isGlobalRow(int query) {
        return globalRows[query];
    }

    public boolean allowed(int query, int key) {
        return kinds[query][key] != 0;
    }

    /** The {@link MaskKind} bits of the pair; 0 when it is not attended. */
    public int kinds(int query, int key) {
        return kinds[query][key] & 0xFF; // eight kinds: bit 7 is the sign bit of a byte
    }

    /** Attended pairs in all. */
    public long count() {
        return count;
    }

    /** Attended keys of one query row. */
    public int rowCount(int query) {
        int c = 0;
        for (byte b : kinds[query]) {
            if (b != 0) {
                c++;
            }
        }
        return c;
    }

    /** Attended pairs in the rectangle {@code [q0, q1) × [k0, k1)}. */
    public long count(int q0, int q1, int k0, int k1) {
        long c = 0;
        for (int i = q0; i < q1; i++) {
            for (int j = k0; j < k1; j++) {
                if (kinds[i][j] != 0) {
                    c++;
                }
            }
        }
        return c;
    }

    public double density() {
        return (double) count / ((double) n * n);
    }
}
