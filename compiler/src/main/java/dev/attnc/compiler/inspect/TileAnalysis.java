package dev.attnc.compiler.inspect;

import dev.attnc.compiler.ir.MaskBindings;
import dev.attnc.compiler.ir.MaskExpr;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Analysis: classifies every (query tile, key tile) pair of a mask as empty, partial or
 * full and counts the attended pairs exactly, from the IR, without an {@code n × n} mask:
 * each row's key set comes from {@link RowEvaluator} as a few progressions, whose counts
 * are spread over the key tiles they cross with a sparse accumulator; an interval spanning
 * three key tiles or more adds its two end tiles and a cover run for the whole tiles between,
 * swept once per query tile. Cost: O(n · pieces) plus the size of the map (a causal row no
 * longer costs one step per key tile), about a second at n = 1,000,000 for Longformer and BigBird.
 */
public final class TileAnalysis {

    private TileAnalysis() {}

    public static TileMap analyze(MaskExpr mask, MaskBindings b, int queryTile, int keyTile) {
        if (queryTile < 1 || keyTile < 1) {
            throw new IllegalArgumentException("tile sizes must be >= 1, got " + queryTile + ", " + keyTile);
        }
        int n = b.n();
        RowEvaluator rows = RowEvaluator.of(mask, b);
        int nkt = (n + keyTile - 1) / keyTile;
        long[] acc = new long[nkt];
        int[] touched = new int[nkt];
        boolean[] isTouched = new boolean[nkt];
        // Runs of whole key tiles covered by long intervals, as +1/-1 boundaries per query tile.
        long[] cover = new long[nkt + 1];
        int[] covTouched = new int[nkt + 1];
        boolean[] isCovTouched = new boolean[nkt + 1];
        SharedKeys[] shared = new SharedKeys[4];
        long[] sharedRows = new long[4];
        List<TileMap.QueryTileRow> out = new ArrayList<>();
        long total = 0;
        for (int q0 = 0, qt = 0; q0 < n; q0 += queryTile, qt++) {
            int q1 = Math.min(n, q0 + queryTile);
            int nTouched = 0;
            int nCov = 0;
            int nShared = 0;
            for (int i = q0; i < q1; i++) {
                RowEvaluator.Split split = rows.split(i);
                if (split.shared() != null) {
                    int at = 0;
                    while (at < nShared && shared[at] != split.shared()) {
                        at++;
                    }
                    if (at == nShared) {
                        if (nShared == shared.length) {
                            shared = Arrays.copyOf(shared, 2 * nShared);
                            sharedRows = Arrays.copyOf(sharedRows, 2 * nShared);
                        }
                        shared[nShared] = split.shared();
                        sharedRows[nShared++] = 0;
                    }
                    sharedRows[at]++;
                }
                for (Piece p : split.local().pieces()) {
                    long firstTile = p.first() / keyTile;
                    long lastTile = p.last() / keyTile;
                    if (p.stride() == 1 && lastTile - firstTile >= 2) {
                        // Two clipped end tiles, and the whole tiles between them as one cover run.
                        nTouched = add(
                                acc,
                                touched,
                                isTouched,
                                nTouched,
                                (int) firstTile,
                                (firstTile + 1) * keyTile - p.first());
                        nTouched = add(
                                acc, touched, isTouched, nTouched, (int) lastTile, p.last() - lastTile * keyTile + 1);
                        nCov = add(cover, covTouched, isCovTouched, nCov, (int) firstTile + 1, 1);
                        nCov = add(cover, covTouched, isCovTouched, nCov, (int) lastTile, -1);
                        continue;
                    }
                    for (long t = firstTile; t <= lastTile; t++) {
                        long c = p.stride() == 1
                                ? Math.min(p.last(), (t + 1) * keyTile - 1) - Math.max(p.first(), t * keyTile) + 1
                                : p.countIn(t * keyTile, (t + 1) * keyTile);
                        if (c == 0) {
                            continue;
                        }
                        nTouched = add(acc, touched, isTouched, nTouched, (int) t, c);
                    }
                }
            }
            // Shared key sets (global columns, every key): their tile counts once, times their rows.
            for (int k = 0; k < nShared; k++) {
                int[] ts = shared[k].tiles(keyTile);
                long[] cs = shared[k].counts(keyTile);
                for (int x = 0; x < ts.length; x++) {
                    nTouched = add(acc, touched, isTouched, nTouched, ts[x], sharedRows[k] * cs[x]);
                }
                shared[k] = null;
            }
            // Sweep the cover runs: between two recorded boundaries every tile has `running` whole rows.
            Arrays.sort(covTouched, 0, nCov);
            long running = 0;
            for (int k = 0; k < nCov; k++) {
                int at = covTouched[k];
                running += cover[at];
                cover[at] = 0;
                isCovTouched[at] = false;
                int end = k + 1 < nCov ? covTouched[k + 1] : at;
                for (int t = at; t < end && running > 0; t++) {
                    nTouched = add(acc, touched, isTouched, nTouched, t, running * keyTile);
                }
            }
            Arrays.sort(touched, 0, nTouched);
            int[] kts = Arrays.copyOf(touched, nTouched);
            long[] counts = new long[nTouched];
            TileClass[] classes = new TileClass[nTouched];
            long rowsInTile = q1 - q0;
            for (int k = 0; k < nTouched; k++) {
                int kt = kts[k];
                long cols = Math.min(keyTile, n - (long) kt * keyTile);
                counts[k] = acc[kt];
                classes[k] = acc[kt] == rowsInTile * cols ? TileClass.FULL : TileClass.PARTIAL;
                total += acc[kt];
                acc[kt] = 0;
                isTouched[kt] = false;
            }
            out.add(new TileMap.QueryTileRow(qt, kts, counts, classes));
        }
        return new TileMap(n, queryTile, keyTile, out, total);
    }

    /** {@code acc[t] += c}, listing {@code t} in {@code touched} the first time; returns the new list size. */
    private static int add(long[] acc, int[] touched, boolean[] isTouched, int nTouched, int t, long c) {
        if (!isTouched[t]) {
            isTouched[t] = true;
            touched[nTouched++] = t;
        }
        acc[t] += c;
        return nTouched;
    }

    /** Attended pairs in all, without tiles. */
    public static long countPairs(MaskExpr mask, MaskBindings b) {
        RowEvaluator rows = RowEvaluator.of(mask, b);
        long total = 0;
        for (int i = 0; i < b.n(); i++) {
            total += rows.split(i).count();
        }
        return total;
    }
}
