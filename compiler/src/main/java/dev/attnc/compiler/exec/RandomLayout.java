package dev.attnc.compiler.exec;

import dev.attnc.runtime.AttentionShape;
import dev.attnc.runtime.io.NpyArray;
import java.util.Arrays;
import java.util.Locale;

/**
 * The {@code layout} input of a {@code random blocks from input} term, checked: key-block
 * indices {@code [H, nb, r]} (one row per query block), or Hugging Face BigBird's
 * {@code [H, nb − 2, r]} (rows for query blocks 1..nb−2; the first and last query block, global
 * in BigBird, then get no random blocks). Every index lies in {@code 0..nb−1} and no row
 * repeats one, so what runs is the table that was given. {@code table} is {@code [H, blocks,
 * perRow]}, row-major.
 */
public record RandomLayout(int[] table, int blocks, int perRow) {

    /**
     * Checks {@code given} as the layout of pattern {@code pattern} (whose {@code random from
     * input} blocks are {@code block > 0} tokens) for {@code heads} heads at length {@code length},
     * with the same rules as {@code run}; messages start with {@code label} (e.g.
     * {@code --layout r.npy}) where {@code run}'s say {@code input layout}.
     *
     * @throws RunException naming {@code label}, the row and the value, or the expected shape
     */
    public static RandomLayout of(String label, String pattern, int block, NpyArray given, int heads, int length) {
        if (given.dtype() != NpyArray.DType.INT32) {
            throw new RunException(
                    label + ": expected int32 data, got " + given.dtype().name().toLowerCase(Locale.ROOT));
        }
        return of(label, pattern, block, new NamedArray("layout", given), new AttentionShape(1, heads, length, 1));
    }

    /**
     * The chosen key blocks of head {@code head}, {@code [query block][t]}; {@code -1} where a
     * Hugging Face table has no row (query blocks 0 and nb−1).
     */
    public int[][] head(int head) {
        int[][] rows = new int[blocks][perRow];
        for (int qb = 0; qb < blocks; qb++) {
            System.arraycopy(table, (head * blocks + qb) * perRow, rows[qb], 0, perRow);
        }
        return rows;
    }

    /**
     * Checks {@code given} (null when the input is absent) against pattern {@code pattern}
     * whose layout blocks are {@code block} tokens (0: the pattern has no such term).
     *
     * @throws RunException naming the input, the row and the value, or the expected shape
     */
    static RandomLayout of(String pattern, int block, NamedArray given, AttentionShape shape) {
        return of("input layout", pattern, block, given, shape);
    }

    private static RandomLayout of(String label, String pattern, int block, NamedArray given, AttentionShape shape) {
        if (block == 0) {
            throw new RunException("input layout: pattern " + pattern + " has no 'random from input' term to use it");
        }
        int h = shape.heads();
        int nb = shape.blocks(block);
        String expected = "[" + h + ", " + nb + ", r] (heads, query blocks of " + block + ", random blocks per row)";
        if (given == null) {
            throw new RunException(s -> "input layout is missing: pattern " + pattern + " uses 'random from input'; "
                    + "give " + s.input("layout") + " with shape " + expected);
        }
        int[] dims = given.shape();
        boolean full = dims.length == 3 && dims[0] == h && dims[1] == nb;
        boolean hf = dims.length == 3 && dims[0] == h && nb >= 2 && dims[1] == nb - 2;
        if (!full && !hf) {
            throw new RunException(label + ": expected shape " + expected
                    + (nb >= 2
                            ? ", or Hugging Face's [" + h + ", " + (nb - 2) + ", r] (rows for query blocks 1.."
                                    + (nb - 2) + ")"
                            : "")
                    + ", got " + given.shapeText());
        }
        int[] ints = given.requireInts();
        int r = dims[2];
        int rows = dims[1];
        int first = full ? 0 : 1;
        int[] table = new int[h * nb * r];
        Arrays.fill(table, -1); // rows Hugging Face leaves out: no random blocks
        for (int head = 0; head < h; head++) {
            for (int i = 0; i < rows; i++) {
                int qb = i + first;
                for (int t = 0; t < r; t++) {
                    int kb = ints[(head * rows + i) * r + t];
                    String row = "row [" + head + ", " + i + "] (head " + head + ", query block " + qb + ")";
                    if (kb < 0 || kb >= nb) {
                        throw new RunException(
                                label + ": " + row + " holds key block " + kb + ", outside 0.." + (nb - 1));
                    }
                    for (int u = 0; u < t; u++) {
                        if (ints[(head * rows + i) * r + u] == kb) {
                            throw new RunException(label + ": " + row + " holds key block " + kb + " twice");
                        }
                    }
                    table[(head * nb + qb) * r + t] = kb;
                }
            }
        }
        return new RandomLayout(table, nb, r);
    }
}
