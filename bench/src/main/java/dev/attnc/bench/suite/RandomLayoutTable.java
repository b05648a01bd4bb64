package dev.attnc.bench.suite;

import dev.attnc.compiler.ir.MaskExpr;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.runtime.RandomBlocks;
import java.util.Optional;

/**
 * The random-block table the grid gives a pattern with {@code random blocks from input}
 * (BigBird with an exported layout): {@link #PER_ROW} key blocks per query block, drawn by
 * {@link RandomBlocks} with seed {@link #SEED} outside the query block, its two neighbours and
 * the first and last block (BigBird ITC's window and globals), so the layout pattern does the
 * work of {@code bigbird_itc}.
 */
public final class RandomLayoutTable {

    /** Random key blocks per query block (BigBird ITC's r = 3). */
    public static final int PER_ROW = 3;

    /** The seed of the draw. */
    public static final long SEED = 42;

    private RandomLayoutTable() {}

    /** The block size of {@code p}'s {@code random blocks from input} term, if it has one. */
    public static Optional<Integer> block(PatternIR p) {
        return p.isAdditive() ? Optional.empty() : find(p.mask());
    }

    private static Optional<Integer> find(MaskExpr m) {
        if (m instanceof MaskExpr.RandomLayout r) {
            return Optional.of(r.block());
        }
        if (m instanceof MaskExpr.Union u) {
            for (MaskExpr t : u.terms()) {
                Optional<Integer> b = find(t);
                if (b.isPresent()) {
                    return b;
                }
            }
            return Optional.empty();
        }
        if (m instanceof MaskExpr.Intersect i) {
            return find(i.left()).or(() -> find(i.right()));
        }
        if (m instanceof MaskExpr.Difference d) {
            return find(d.left()).or(() -> find(d.right()));
        }
        return Optional.empty();
    }

    /** {@code table[h][queryBlock][r]} for {@code heads} heads at length {@code n}, or null without a layout term. */
    public static int[][][] perHead(PatternIR p, int n, int heads) {
        Optional<Integer> block = block(p);
        if (block.isEmpty()) {
            return null;
        }
        int blk = block.get();
        int nb = (n + blk - 1) / blk;
        int[][][] t = new int[heads][nb][];
        for (int h = 0; h < heads; h++) {
            for (int qb = 0; qb < nb; qb++) {
                int q = qb;
                int[] drawn = RandomBlocks.choose(
                        SEED, 0, h, qb, nb, PER_ROW, kb -> kb == 0 || kb == nb - 1 || Math.abs(kb - q) <= 1);
                // the kernel's table has exactly r entries per row: repeat the last when fewer were possible
                int[] row = new int[PER_ROW];
                for (int r = 0; r < PER_ROW; r++) {
                    row[r] = drawn.length == 0 ? 0 : drawn[Math.min(r, drawn.length - 1)];
                }
                t[h][qb] = row;
            }
        }
        return t;
    }

    /** The same table flattened to the kernel's {@code int[H·nQueryBlocks·r]}, or null without a layout term. */
    public static int[] flat(PatternIR p, int n, int heads) {
        int[][][] t = perHead(p, n, heads);
        if (t == null) {
            return null;
        }
        int nb = t[0].length;
        int[] flat = new int[heads * nb * PER_ROW];
        for (int h = 0; h < heads; h++) {
            for (int qb = 0; qb < nb; qb++) {
                System.arraycopy(t[h][qb], 0, flat, (h * nb + qb) * PER_ROW, PER_ROW);
            }
        }
        return flat;
    }
}
