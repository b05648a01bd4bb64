package dev.attnc.runtime.kernel;

import dev.attnc.runtime.SegmentRuns;
import java.util.Arrays;

/**
 * The keys a row group may attend, as sorted key segments with disjoint hulls. A segment is
 * the progression {@code lo, lo + stride, …, hi} (inclusive, {@code hi ≡ lo mod stride}) and
 * is <em>full</em> or <em>partial</em>. The contract, for the rows {@code first + rowStride·t},
 * {@code t < rowCount}:
 * <ol>
 *   <li>every key a row of the group may attend lies in some segment's progression;</li>
 *   <li>in a full segment every row of the group attends every key of the progression (the
 *       kernel tests no pair there); in a partial one it tests each pair.</li>
 * </ol>
 * This is FlexAttention's block mask at the granularity of key segments: terms give exact
 * ranges by arithmetic (a window is one interval, a dilated window a progression of one
 * residue, a global set its runs, random blocks their blocks), and the set operators combine
 * them by a sweep over the segments' breakpoints. Adjacent compatible segments are merged, so
 * a Longformer row group has at most five segments. Immutable.
 */
public final class KeyCover {

    private static final KeyCover EMPTY = new KeyCover(new int[0], new int[0], new int[0], new boolean[0], 0);

    private final int[] lo;
    private final int[] hi;
    private final int[] stride;
    private final boolean[] full;
    private final int size;

    private KeyCover(int[] lo, int[] hi, int[] stride, boolean[] full, int size) {
        this.lo = lo;
        this.hi = hi;
        this.stride = stride;
        this.full = full;
        this.size = size;
    }

    public int size() {
        return size;
    }

    public int lo(int s) {
        return lo[s];
    }

    /** Inclusive; {@code hi ≡ lo (mod stride)}. */
    public int hi(int s) {
        return hi[s];
    }

    public int stride(int s) {
        return stride[s];
    }

    public boolean full(int s) {
        return full[s];
    }

    /** Keys in all segments (the keys a row group visits). */
    public long keyCount() {
        long c = 0;
        for (int s = 0; s < size; s++) {
            c += (hi[s] - lo[s]) / stride[s] + 1;
        }
        return c;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int s = 0; s < size; s++) {
            sb.append(s > 0 ? ", " : "").append(lo[s]).append("..").append(hi[s]);
            if (stride[s] != 1) {
                sb.append('/').append(stride[s]);
            }
            sb.append(full[s] ? " full" : " partial");
        }
        return sb.append(']').toString();
    }

    // ---- primitives ---------------------------------------------------------------------

    public static KeyCover empty() {
        return EMPTY;
    }

    /** Every key, full. */
    public static KeyCover all(int n) {
        return new KeyCover(new int[] {0}, new int[] {n - 1}, new int[] {1}, new boolean[] {true}, 1);
    }

    /** {@code j = i + δ·t}, {@code t ∈ [-before, after]}. */
    public static KeyCover window(int n, int first, int rowStride, int rowCount, int before, int after, int dilation) {
        long last = first + (long) rowStride * (rowCount - 1);
        long d = dilation;
        Builder b = new Builder(3);
        if (rowStride % dilation != 0) {
            b.add(Math.max(0, first - d * before), Math.min(n - 1, last + d * after), 1, false);
            return b.build();
        }
        long a = first - d * before;
        long z = last + d * after;
        if (a < 0) {
            a += ceilDiv(-a, d) * d;
        }
        if (z > n - 1) {
            z -= ceilDiv(z - (n - 1), d) * d;
        }
        if (a > z) {
            return EMPTY;
        }
        long fa = Math.max(a, last - d * before);
        long fz = Math.min(z, first + d * after);
        if (fa > fz) {
            b.add(a, z, dilation, false);
        } else {
            b.add(a, fa - d, dilation, false);
            b.add(fa, fz, dilation, true);
            b.add(fz + d, z, dilation, false);
        }
        return b.build();
    }

    /** Key block {@code kb ∈ [qb - before, qb + after]} in blocks of {@code block} tokens. */
    public static KeyCover blockWindow(
            int n, int first, int rowStride, int rowCount, int block, int before, int after) {
        long last = first + (long) rowStride * (rowCount - 1);
        long qf = first / block;
        long ql = last / block;
        long a = Math.max(0, (qf - before) * block);
        long z = Math.min(n - 1, (ql + after + 1) * block - 1);
        if (a > z) {
            return EMPTY;
        }
        long fa = Math.max(a, (ql - before) * block);
        long fz = Math.min(z, (qf + after + 1) * block - 1);
        Builder b = new Builder(3);
        if (fa > fz) {
            b.add(a, z, 1, false);
        } else {
            b.add(a, fa - 1, 1, false);
            b.add(fa, fz, 1, true);
            b.add(fz + 1, z, 1, false);
        }
        return b.build();
    }

    /** {@code j <= i}. */
    public static KeyCover causal(int n, int first, int rowStride, int rowCount) {
        long last = first + (long) rowStride * (rowCount - 1);
        Builder b = new Builder(2);
        b.add(0, first, 1, true);
        b.add(first + 1L, Math.min(n - 1, last), 1, false);
        return b.build();
    }

    /** Rows in {@code g} attend every key; every row attends the keys in {@code g}. */
    public static KeyCover global(int n, int first, int rowStride, int rowCount, GlobalSet g) {
        int rowsIn = g.countIn(first, rowStride, rowCount);
        if (rowsIn == rowCount) {
            return all(n);
        }
        Builder b = new Builder(2 * g.runCount() + 1);
        long next = 0;
        for (int k = 0; k < g.runCount(); k++) {
            if (rowsIn > 0) {
                b.add(next, g.runStart(k) - 1L, 1, false);
            }
            b.add(g.runStart(k), g.runEnd(k), 1, true);
            next = g.runEnd(k) + 1L;
        }
        if (rowsIn > 0) {
            b.add(next, n - 1, 1, false);
        }
        return b.build();
    }

    /**
     * {@code keys S} for one range of {@code S}: the keys {@code lo .. hi - 1} (clamped to
     * {@code 0..n-1}), full, whatever the rows (every row attends them).
     */
    public static KeyCover keyRange(int n, long lo, long hi) {
        Builder b = new Builder(1);
        b.add(Math.max(0, lo), Math.min(n, hi) - 1L, 1, true);
        return b.build();
    }

    /**
     * {@code queries S} for one range of {@code S}: the rows in {@code lo .. hi - 1} attend every
     * key. Every key, full when every row of the group is in the range, partial when some are,
     * empty when none is.
     */
    public static KeyCover queryRange(int n, int first, int rowStride, int rowCount, long lo, long hi) {
        // t with lo <= first + stride·t < hi: ceil((lo - first) / stride) .. ceil((hi - first) / stride) - 1
        long tMin = Math.max(0, -Math.floorDiv(first - lo, (long) rowStride));
        long tMax = Math.min(rowCount - 1L, -Math.floorDiv(first - hi, (long) rowStride) - 1);
        long rowsIn = Math.max(0, tMax - tMin + 1);
        if (rowsIn == 0) {
            return EMPTY;
        }
        Builder b = new Builder(1);
        b.add(0, n - 1L, 1, rowsIn == rowCount);
        return b.build();
    }

    /** Key block {@code j / block} in the table's list for query block {@code i / block}. */
    public static KeyCover random(int n, int first, int rowStride, int rowCount, int block, RandomTable t) {
        long last = first + (long) rowStride * (rowCount - 1);
        int qf = first / block;
        int ql = (int) (last / block);
        if (qf == ql) {
            Builder b = new Builder(t.count(qf));
            for (int x = 0; x < t.count(qf); x++) {
                long kb = t.keyBlock(qf, x);
                b.add(kb * block, Math.min(n - 1, (kb + 1) * block - 1), 1, true);
            }
            return b.build();
        }
        int total = 0;
        for (int qb = qf; qb <= ql; qb++) {
            total += t.count(qb);
        }
        int[] kbs = new int[total];
        int used = 0;
        for (int qb = qf; qb <= ql; qb++) {
            for (int x = 0; x < t.count(qb); x++) {
                kbs[used++] = t.keyBlock(qb, x);
            }
        }
        Arrays.sort(kbs);
        Builder b = new Builder(total);
        for (int x = 0; x < total; x++) {
            if (x > 0 && kbs[x] == kbs[x - 1]) {
                continue;
            }
            long kb = kbs[x];
            b.add(kb * block, Math.min(n - 1, (kb + 1) * block - 1), 1, false);
        }
        return b.build();
    }

    /**
     * {@code seg[i] == seg[j]}: only the runs of the segments the group's rows belong to, so a
     * row group visits as many keys as its segments hold (other segments' keys are skipped, not
     * masked). Full when every row of the group is in one segment, else partial.
     */
    public static KeyCover segments(int n, int first, int rowStride, int rowCount, SegmentRuns s) {
        int[] seen = new int[Math.min(rowCount, 8)];
        int distinct = 0;
        for (long i = first; i < n && i < first + (long) rowStride * rowCount; i += rowStride) {
            int sg = s.segmentOf((int) i);
            boolean known = false;
            for (int x = 0; x < distinct && !known; x++) {
                known = seen[x] == sg;
            }
            if (!known) {
                if (distinct == seen.length) {
                    seen = Arrays.copyOf(seen, 2 * distinct);
                }
                seen[distinct++] = sg;
            }
        }
        if (distinct == 0) {
            return EMPTY;
        }
        if (distinct == 1) {
            int sg = seen[0];
            Builder b = new Builder(s.firstRun(sg + 1) - s.firstRun(sg));
            for (int r = s.firstRun(sg); r < s.firstRun(sg + 1); r++) {
                b.add(s.runStart(r), s.runEnd(r), 1, true);
            }
            return b.build();
        }
        int total = 0;
        for (int x = 0; x < distinct; x++) {
            total += s.firstRun(seen[x] + 1) - s.firstRun(seen[x]);
        }
        long[] runs = new long[total];
        int used = 0;
        for (int x = 0; x < distinct; x++) {
            for (int r = s.firstRun(seen[x]); r < s.firstRun(seen[x] + 1); r++) {
                runs[used++] = ((long) s.runStart(r) << 32) | s.runEnd(r);
            }
        }
        Arrays.sort(runs);
        Builder b = new Builder(total);
        for (long run : runs) {
            b.add(run >>> 32, (int) run, 1, false);
        }
        return b.build();
    }

    // ---- set algebra --------------------------------------------------------------------

    private static final int UNION = 0;
    private static final int INTERSECT = 1;
    private static final int DIFFERENCE = 2;

    public static KeyCover union(KeyCover a, KeyCover b) {
        if (b.size == 0) {
            return a;
        }
        if (a.size == 0) {
            return b;
        }
        return sweep(a, b, UNION);
    }

    public static KeyCover intersect(KeyCover a, KeyCover b) {
        if (a.size == 0 || b.size == 0) {
            return EMPTY;
        }
        return sweep(a, b, INTERSECT);
    }

    public static KeyCover difference(KeyCover a, KeyCover b) {
        if (a.size == 0 || b.size == 0) {
            return a;
        }
        return sweep(a, b, DIFFERENCE);
    }

    /**
     * Walks the elementary intervals between the breakpoints of both lists (each segment's
     * {@code lo} and {@code hi + 1}); on each, at most one segment of each operand covers it
     * whole, and the operator's rule picks the progression and the flag of the piece.
     */
    private static KeyCover sweep(KeyCover a, KeyCover b, int op) {
        int[] points = new int[2 * (a.size + b.size)];
        int np = 0;
        for (int s = 0; s < a.size; s++) {
            points[np++] = a.lo[s];
            points[np++] = a.hi[s] + 1;
        }
        for (int s = 0; s < b.size; s++) {
            points[np++] = b.lo[s];
            points[np++] = b.hi[s] + 1;
        }
        Arrays.sort(points, 0, np);
        Builder out = new Builder(a.size + b.size);
        int ia = 0;
        int ib = 0;
        for (int x = 0; x + 1 < np; x++) {
            int p = points[x];
            int q = points[x + 1] - 1;
            if (q < p) {
                continue;
            }
            while (ia < a.size && a.hi[ia] < p) {
                ia++;
            }
            while (ib < b.size && b.hi[ib] < p) {
                ib++;
            }
            int sa = ia < a.size && a.lo[ia] <= p ? ia : -1;
            int sb = ib < b.size && b.lo[ib] <= p ? ib : -1;
            if (op == UNION) {
                if (sa < 0 && sb < 0) {
                    continue;
                }
                if (sb < 0) {
                    piece(out, p, q, a, sa, a.full[sa]);
                } else if (sa < 0) {
                    piece(out, p, q, b, sb, b.full[sb]);
                } else {
                    boolean aInB = within(a, sa, b, sb);
                    boolean bInA = within(b, sb, a, sa);
                    if (aInB && (b.full[sb] || !bInA)) {
                        piece(out, p, q, b, sb, b.full[sb] || (bInA && a.full[sa]));
                    } else if (bInA) {
                        piece(out, p, q, a, sa, a.full[sa] || (aInB && b.full[sb]));
                    } else {
                        out.add(p, q, 1, false);
                    }
                }
            } else if (op == INTERSECT) {
                if (sa < 0 || sb < 0) {
                    continue;
                }
                if (within(a, sa, b, sb)) {
                    piece(out, p, q, a, sa, a.full[sa] && b.full[sb]);
                } else if (within(b, sb, a, sa)) {
                    piece(out, p, q, b, sb, a.full[sa] && b.full[sb]);
                } else {
                    piece(out, p, q, a, sa, false);
                }
            } else {
                if (sa < 0) {
                    continue;
                }
                if (sb < 0) {
                    piece(out, p, q, a, sa, a.full[sa]);
                } else if (!(b.full[sb] && within(a, sa, b, sb))) {
                    piece(out, p, q, a, sa, false);
                }
            }
        }
        return out.build();
    }

    /** Whether segment {@code s} of {@code x}'s progression is inside segment {@code t} of {@code y}'s (as residues). */
    private static boolean within(KeyCover x, int s, KeyCover y, int t) {
        return x.stride[s] % y.stride[t] == 0 && Math.floorMod(x.lo[s] - y.lo[t], y.stride[t]) == 0;
    }

    /** Segment {@code s} of {@code c} restricted to {@code [p, q]}. */
    private static void piece(Builder out, int p, int q, KeyCover c, int s, boolean full) {
        int st = c.stride[s];
        long first = p + Math.floorMod(c.lo[s] - p, st);
        long last = q - Math.floorMod(q - c.lo[s], st);
        out.add(first, last, st, full);
    }

    private static long ceilDiv(long x, long y) {
        return (x + y - 1) / y;
    }

    /** Appends segments in increasing order, dropping empty ones and merging compatible neighbours. */
    private static final class Builder {
        private int[] lo;
        private int[] hi;
        private int[] stride;
        private boolean[] full;
        private int size;

        Builder(int capacity) {
            int c = Math.max(1, capacity);
            lo = new int[c];
            hi = new int[c];
            stride = new int[c];
            full = new boolean[c];
        }

        void add(long a, long z, int st, boolean f) {
            if (a > z) {
                return;
            }
            if (size > 0) {
                int k = size - 1;
                if (stride[k] == st && full[k] == f && hi[k] + (long) st == a) {
                    hi[k] = (int) z;
                    return;
                }
            }
            if (size == lo.length) {
                int c = size * 2;
                lo = Arrays.copyOf(lo, c);
                hi = Arrays.copyOf(hi, c);
                stride = Arrays.copyOf(stride, c);
                full = Arrays.copyOf(full, c);
            }
            lo[size] = (int) a;
            hi[size] = (int) z;
            stride[size] = st;
            full[size] = f;
            size++;
        }

        KeyCover build() {
            return size == 0 ? EMPTY : new KeyCover(lo, hi, stride, full, size);
        }
    }
}
