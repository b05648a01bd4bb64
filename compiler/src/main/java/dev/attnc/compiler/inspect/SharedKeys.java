package dev.attnc.compiler.inspect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A key set that many rows share (the columns of a global set, or every key), as sorted
 * disjoint intervals. The analysis counts it once per query tile, times the rows that share
 * it, instead of once per row: Longformer with thousands of run-time global tokens then costs
 * O(n · window pieces) rather than O(n · globals).
 */
final class SharedKeys {

    private final RowSet set;
    private final long[] starts;
    private final long[] ends; // inclusive
    private int tileCountsFor = -1;
    private int[] tiles;
    private long[] counts;

    SharedKeys(RowSet intervals) {
        this.set = intervals;
        List<Piece> ps = new ArrayList<>(intervals.pieces());
        ps.sort((a, b) -> Long.compare(a.first(), b.first()));
        starts = new long[ps.size()];
        ends = new long[ps.size()];
        for (int k = 0; k < ps.size(); k++) {
            if (ps.get(k).stride() != 1) {
                throw new IllegalArgumentException("shared keys are intervals");
            }
            starts[k] = ps.get(k).first();
            ends[k] = ps.get(k).last();
        }
    }

    RowSet set() {
        return set;
    }

    /** {@code local} minus these keys, looking only at the intervals that {@code local}'s pieces span. */
    RowSet subtractFrom(RowSet local) {
        if (local.isEmpty() || starts.length == 0) {
            return local;
        }
        List<Piece> near = new ArrayList<>();
        for (Piece p : local.pieces()) {
            // first interval whose end is >= p.first
            int lo = 0;
            int hi = starts.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (ends[mid] < p.first()) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            for (int k = lo; k < starts.length && starts[k] <= p.last(); k++) {
                near.add(Piece.interval(starts[k], ends[k] + 1)); // a repeat only subtracts twice
            }
        }
        return near.isEmpty() ? local : local.minus(RowSet.of(near));
    }

    /** Key tiles these keys touch, ascending. */
    int[] tiles(int keyTile) {
        prepare(keyTile);
        return tiles;
    }

    /** Keys in each of {@link #tiles}. */
    long[] counts(int keyTile) {
        prepare(keyTile);
        return counts;
    }

    private void prepare(int keyTile) {
        if (tileCountsFor == keyTile) {
            return;
        }
        int[] ts = new int[16];
        long[] cs = new long[16];
        int m = 0;
        for (int k = 0; k < starts.length; k++) {
            for (long t = starts[k] / keyTile; t <= ends[k] / keyTile; t++) {
                long c = Math.min(ends[k], (t + 1) * keyTile - 1) - Math.max(starts[k], t * keyTile) + 1;
                if (m > 0 && ts[m - 1] == t) {
                    cs[m - 1] += c;
                    continue;
                }
                if (m == ts.length) {
                    ts = Arrays.copyOf(ts, 2 * m);
                    cs = Arrays.copyOf(cs, 2 * m);
                }
                ts[m] = (int) t;
                cs[m++] = c;
            }
        }
        tiles = Arrays.copyOf(ts, m);
        counts = Arrays.copyOf(cs, m);
        tileCountsFor = keyTile;
    }
}
