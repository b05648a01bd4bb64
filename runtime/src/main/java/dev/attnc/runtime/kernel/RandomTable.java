package dev.attnc.runtime.kernel;

import dev.attnc.runtime.RandomBlocks;
import java.util.Arrays;

/**
 * The key blocks of a random-block term for every query block of one (layer, head, n):
 * sorted, distinct, within {@code [0, nb)}. Immutable.
 */
public final class RandomTable {

    private final int[][] rows;

    private RandomTable(int[][] rows) {
        this.rows = rows;
    }

    /**
     * BigBird random blocks drawn by {@link RandomBlocks} (the same generator as the dense
     * reference and the CUDA host code): each query block outside {@code globalBlocks} gets
     * {@code count} key blocks outside its block windows {@code {before, after}} and the global
     * blocks; global query blocks get none.
     *
     * @param globalBlocks a set over block indices (its {@code n()} is the block count)
     */
    public static RandomTable seeded(
            long seed,
            int layer,
            int head,
            int n,
            int block,
            int count,
            int[][] excludeWindows,
            GlobalSet globalBlocks) {
        int nb = (n + block - 1) / block;
        if (globalBlocks.n() != nb) {
            throw new IllegalArgumentException("globalBlocks covers " + globalBlocks.n() + " blocks, expected " + nb);
        }
        int[][] rows = new int[nb][];
        int[] ranges = new int[2 * (excludeWindows.length + globalBlocks.runCount())];
        for (int qb = 0; qb < nb; qb++) {
            if (globalBlocks.contains(qb)) {
                rows[qb] = new int[0];
                continue;
            }
            int used = 0;
            for (int[] w : excludeWindows) {
                ranges[used++] = qb - w[0];
                ranges[used++] = qb + w[1];
            }
            for (int k = 0; k < globalBlocks.runCount(); k++) {
                ranges[used++] = globalBlocks.runStart(k);
                ranges[used++] = globalBlocks.runEnd(k);
            }
            rows[qb] = RandomBlocks.choose(seed, layer, head, qb, nb, count, merge(ranges, used));
        }
        return new RandomTable(rows);
    }

    /** Sorts inclusive ranges by start and merges overlapping or touching ones. */
    static int[] merge(int[] ranges, int used) {
        int k = used / 2;
        long[] packed = new long[k];
        for (int x = 0; x < k; x++) {
            packed[x] = ((long) ranges[2 * x] << 32) | (ranges[2 * x + 1] & 0xFFFFFFFFL);
        }
        Arrays.sort(packed); // by start (signed high word), then end
        int[] out = new int[used];
        int m = 0;
        for (long p : packed) {
            int lo = (int) (p >> 32);
            int hi = (int) p;
            if (hi < lo) {
                continue;
            }
            if (m > 0 && lo <= out[m - 1] + 1) {
                out[m - 1] = Math.max(out[m - 1], hi);
            } else {
                out[m++] = lo;
                out[m++] = hi;
            }
        }
        return Arrays.copyOf(out, m);
    }

    /**
     * The explicit layout {@code [.., nb, r]} of one head starting at {@code offset}: query block
     * {@code qb}'s key blocks are {@code flat[offset + qb·r .. +r)}; entries outside {@code [0, nb)}
     * are ignored, duplicates merged.
     */
    public static RandomTable fromLayout(int[] flat, int offset, int nb, int r) {
        int[][] rows = new int[nb][];
        for (int qb = 0; qb < nb; qb++) {
            int[] row = new int[r];
            int used = 0;
            for (int t = 0; t < r; t++) {
                int kb = flat[offset + qb * r + t];
                if (kb >= 0 && kb < nb) {
                    row[used++] = kb;
                }
            }
            rows[qb] = Arrays.stream(row, 0, used).sorted().distinct().toArray();
        }
        return new RandomTable(rows);
    }

    /** Query blocks. */
    public int blocks() {
        return rows.length;
    }

    public int count(int qb) {
        return rows[qb].length;
    }

    public int keyBlock(int qb, int t) {
        return rows[qb][t];
    }

    public boolean has(int qb, int kb) {
        return qb >= 0 && qb < rows.length && Arrays.binarySearch(rows[qb], kb) >= 0;
    }

    @Override
    public String toString() {
        return Arrays.deepToString(rows);
    }
}
