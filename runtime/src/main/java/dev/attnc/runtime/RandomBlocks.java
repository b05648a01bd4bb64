package dev.attnc.runtime;

import java.util.Arrays;
import java.util.HashMap;
import java.util.function.IntPredicate;

/**
 * The deterministic generator of BigBird random blocks (docs/DESIGN.md §3), version 1.
 *
 * <p>For one query block it picks {@code r} distinct key blocks among the candidates, the
 * blocks {@code 0..numBlocks-1} that {@code excluded} rejects not, in ascending order.
 * The algorithm, which the CUDA host code implements identically, is:
 * <ol>
 *   <li>{@code h = seed}; then for each {@code x} of {@code layer, head, queryBlock, numBlocks}
 *       in that order: {@code h = mix64(h ^ (x + 0x9E3779B97F4A7C15))}, with 64-bit wrapping
 *       arithmetic and {@code mix64} the SplitMix64 finaliser
 *       ({@code z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9; z = (z ^ (z >>> 27)) * 0x94D049BB133111EB;
 *       z ^ (z >>> 31)}).</li>
 *   <li>A SplitMix64 stream starts at state {@code h}: each draw adds {@code 0x9E3779B97F4A7C15}
 *       to the state and returns {@code mix64(state)}.</li>
 *   <li>With {@code m} candidates: if {@code r >= m} all candidates are taken. Otherwise a
 *       partial Fisher–Yates shuffle: for {@code k = 0..r-1}, {@code j = k + unsigned(draw) mod (m - k)},
 *       swap candidates {@code k} and {@code j}.</li>
 *   <li>The first {@code r} candidates, sorted ascending, are the result.</li>
 * </ol>
 * The same arguments give the same blocks on every machine. If this algorithm ever changes,
 * {@link #VERSION} changes with it and the docs say so.
 */
public final class RandomBlocks {

    /** The generator's version; bumped whenever its output could change. */
    public static final int VERSION = 1;

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private RandomBlocks() {}

    /**
     * The key blocks chosen for one query block, ascending.
     *
     * @param seed       the pattern's seed
     * @param layer      layer index (0 for single-layer use)
     * @param head       head index
     * @param queryBlock the query block
     * @param numBlocks  {@code ceil(n / block)}
     * @param r          how many blocks to draw (fewer when fewer candidates exist)
     * @param excluded   blocks that may not be drawn (those the row already attends)
     */
    public static int[] choose(
            long seed, int layer, int head, int queryBlock, int numBlocks, int r, IntPredicate excluded) {
        if (numBlocks < 0 || r < 0) {
            throw new IllegalArgumentException("numBlocks and r must be >= 0, got " + numBlocks + ", " + r);
        }
        int[] cand = new int[numBlocks];
        int m = 0;
        for (int b = 0; b < numBlocks; b++) {
            if (!excluded.test(b)) {
                cand[m++] = b;
            }
        }
        if (r >= m) {
            return Arrays.copyOf(cand, m);
        }
        long state = streamSeed(seed, layer, head, queryBlock, numBlocks);
        for (int k = 0; k < r; k++) {
            state += GOLDEN;
            long draw = mix64(state);
            int j = k + (int) Long.remainderUnsigned(draw, m - k);
            int t = cand[k];
            cand[k] = cand[j];
            cand[j] = t;
        }
        int[] out = Arrays.copyOf(cand, r);
        Arrays.sort(out);
        return out;
    }

    /**
     * The same draw as {@link #choose(long, int, int, int, int, int, IntPredicate)}, with the
     * excluded blocks given as sorted, disjoint, inclusive ranges {@code [lo0, hi0, lo1, hi1, …]}
     * (ranges may reach outside {@code 0..numBlocks-1}). The candidate array is virtual and the
     * shuffle's swaps live in a small map, so a call costs O(ranges + r·log ranges) instead of
     * O(numBlocks): the result is identical, element for element.
     */
    public static int[] choose(
            long seed, int layer, int head, int queryBlock, int numBlocks, int r, int[] excludedRanges) {
        if (numBlocks < 0 || r < 0 || excludedRanges.length % 2 != 0) {
            throw new IllegalArgumentException("numBlocks and r must be >= 0 and ranges come in pairs");
        }
        // Clip the ranges to the blocks; prefix[k] = candidates before the k-th range's start.
        int count = excludedRanges.length / 2;
        int[] lo = new int[count];
        int[] hi = new int[count];
        int used = 0;
        int prevHi = -1;
        for (int k = 0; k < count; k++) {
            int a = Math.max(Math.max(0, excludedRanges[2 * k]), prevHi + 1);
            int b = Math.min(numBlocks - 1, excludedRanges[2 * k + 1]);
            if (a <= b) {
                lo[used] = a;
                hi[used] = b;
                prevHi = b;
                used++;
            }
        }
        long[] before = new long[used + 1]; // candidates below lo[k]
        int excluded = 0;
        for (int k = 0; k < used; k++) {
            before[k] = lo[k] - (long) excluded;
            excluded += hi[k] - lo[k] + 1;
        }
        int m = numBlocks - excluded;
        if (r >= m) {
            int[] all = new int[m];
            for (int i = 0; i < m; i++) {
                all[i] = candidate(i, lo, hi, before, used);
            }
            return all;
        }
        HashMap<Integer, Integer> swapped = new HashMap<>();
        long state = streamSeed(seed, layer, head, queryBlock, numBlocks);
        int[] out = new int[r];
        for (int k = 0; k < r; k++) {
            state += GOLDEN;
            int j = k + (int) Long.remainderUnsigned(mix64(state), m - k);
            int atK = swapped.getOrDefault(k, k);
            int atJ = swapped.getOrDefault(j, j);
            swapped.put(j, atK);
            out[k] = atJ;
        }
        for (int k = 0; k < r; k++) {
            out[k] = candidate(out[k], lo, hi, before, used);
        }
        Arrays.sort(out);
        return out;
    }

    /** The {@code index}-th candidate block (0-based) among those outside the ranges. */
    private static int candidate(int index, int[] lo, int[] hi, long[] before, int used) {
        // The last range whose count of candidates below it is <= index.
        int a = 0;
        int b = used - 1;
        int k = -1;
        while (a <= b) {
            int mid = (a + b) >>> 1;
            if (before[mid] <= index) {
                k = mid;
                a = mid + 1;
            } else {
                b = mid - 1;
            }
        }
        return k < 0 ? index : (int) (hi[k] + 1 + (index - before[k]));
    }

    /** Step 1 of the algorithm: the stream's starting state. */
    static long streamSeed(long seed, int layer, int head, int queryBlock, int numBlocks) {
        long h = seed;
        h = mix64(h ^ (layer + GOLDEN));
        h = mix64(h ^ (head + GOLDEN));
        h = mix64(h ^ (queryBlock + GOLDEN));
        h = mix64(h ^ (numBlocks + GOLDEN));
        return h;
    }

    /** The SplitMix64 finaliser. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
