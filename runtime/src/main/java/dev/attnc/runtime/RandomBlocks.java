package dev.attnc.runtime;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * The deterministic generator of BigBird random blocks (DESIGN.md §3), version 1.
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
    public static int[] choose(long seed, int layer, int head, int queryBlock, int numBlocks, int r,
                               IntPredicate excluded) {
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
