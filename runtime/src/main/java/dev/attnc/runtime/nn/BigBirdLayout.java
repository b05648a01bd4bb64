package dev.attnc.runtime.nn;

import java.util.Arrays;

/**
 * One layer's BigBird random table as Hugging Face keeps it, {@code [heads, nb − 2, r]}: row
 * {@code t} holds the random key blocks of query block {@code t + 1} (the first and last query
 * blocks are global and have none), {@code nb = ceil(L / block)}.
 *
 * <p>Hugging Face's block-sparse attention takes the softmax over the concatenated key list of a
 * query block: {@code [0, 1, 2, nb−1]} for block 1, {@code [0, b−1, b, b+1, nb−1]} for a middle
 * block, {@code [0, nb−3, nb−2, nb−1]} for block {@code nb−2}, then the random blocks. A random
 * block that is already in that list, or drawn twice, is counted again (in eval mode Hugging Face's
 * table is all zeros: block 0 counts {@code 1 + r} times). The kernel attends a set; the repeats
 * are {@link #repeats(int, int)}, added back by {@link RepeatedKeys}.
 */
public final class BigBirdLayout {

    private final int heads;
    private final int blocks;
    private final int perRow;
    private final int block;
    private final int[] kernelTable; // [heads, nb, r], -1 for rows 0 and nb-1
    private final int[][][] repeats; // [heads][nb][2·k]: (key block, extra count) pairs
    private final boolean hasRepeats;

    private BigBirdLayout(int heads, int blocks, int perRow, int block, int[] kernelTable, int[][][] repeats) {
        this.heads = heads;
        this.blocks = blocks;
        this.perRow = perRow;
        this.block = block;
        this.kernelTable = kernelTable;
        this.repeats = repeats;
        boolean any = false;
        for (int[][] h : repeats) {
            for (int[] r : h) {
                any |= r.length > 0;
            }
        }
        this.hasRepeats = any;
    }

    /**
     * A layer's table.
     *
     * @param table {@code int[heads, nb − 2, r]}, flat
     * @param name how errors name the table, e.g. {@code "random_layout[3]"}
     * @throws IllegalArgumentException naming the table and the wrong entry or size
     */
    public static BigBirdLayout fromHuggingFace(
            int[] table, int heads, int length, int block, int perRow, String name) {
        int nb = (length + block - 1) / block;
        int rows = Math.max(nb - 2, 0);
        if (table.length != heads * rows * perRow) {
            throw new IllegalArgumentException(name + ": expected int [" + heads + ", " + rows + ", " + perRow
                    + "] (heads, ceil(" + length + " / " + block + ") - 2 query blocks, num_random_blocks), got "
                    + table.length + " values");
        }
        int[] kernel = new int[heads * nb * perRow];
        Arrays.fill(kernel, -1);
        int[][][] repeats = new int[heads][nb][];
        for (int h = 0; h < heads; h++) {
            repeats[h][0] = new int[0];
            if (nb > 1) {
                repeats[h][nb - 1] = new int[0];
            }
            for (int t = 0; t < rows; t++) {
                int qb = t + 1;
                int[] count = new int[nb];
                for (int kb : base(qb, nb)) {
                    count[kb]++;
                }
                for (int x = 0; x < perRow; x++) {
                    int kb = table[(h * rows + t) * perRow + x];
                    if (kb < 0 || kb >= nb) {
                        throw new IllegalArgumentException(name + "[" + h + ", " + t + ", " + x + "] = " + kb
                                + " is not a key block of a " + length + "-token sequence (0.." + (nb - 1) + ")");
                    }
                    kernel[(h * nb + qb) * perRow + x] = kb;
                    count[kb]++;
                }
                int[] pairs = new int[0];
                for (int kb = 0; kb < nb; kb++) {
                    if (count[kb] > 1) {
                        pairs = Arrays.copyOf(pairs, pairs.length + 2);
                        pairs[pairs.length - 2] = kb;
                        pairs[pairs.length - 1] = count[kb] - 1;
                    }
                }
                repeats[h][qb] = pairs;
            }
        }
        return new BigBirdLayout(heads, nb, perRow, block, kernel, repeats);
    }

    /** Hugging Face's fixed key blocks of query block {@code qb} (not global, {@code 1 ≤ qb ≤ nb−2}). */
    static int[] base(int qb, int nb) {
        if (qb == 1) {
            return new int[] {0, 1, 2, nb - 1};
        }
        if (qb == nb - 2) {
            return new int[] {0, nb - 3, nb - 2, nb - 1};
        }
        return new int[] {0, qb - 1, qb, qb + 1, nb - 1};
    }

    /** The table in the kernel's form {@code [heads, nb, r]} (rows of the global blocks are −1: none). */
    public int[] kernelTable() {
        return kernelTable;
    }

    public int block() {
        return block;
    }

    public int perRow() {
        return perRow;
    }

    public int blocks() {
        return blocks;
    }

    public int heads() {
        return heads;
    }

    /** Whether some query block counts a key block more than once. */
    public boolean hasRepeats() {
        return hasRepeats;
    }

    /** {@code (key block, extra count)} pairs of query block {@code qb} of head {@code h}. */
    public int[] repeats(int h, int qb) {
        return repeats[h][qb];
    }
}
