package dev.attnc.bench.suite;

import dev.attnc.compiler.inspect.TileAnalysis;
import dev.attnc.compiler.ir.Attention;
import dev.attnc.compiler.ir.MaskBindings;
import dev.attnc.compiler.ir.PatternIR;

/**
 * The exact work of one call of a grid point, from the pattern's IR.
 *
 * <ul>
 *   <li>Softmax patterns: the attended pairs are counted exactly by
 *       {@link TileAnalysis#countPairs} (no n×n mask) for every head at layer {@link #LAYER}, with
 *       no runtime global tokens and, for {@code random blocks from input}, the table of
 *       {@link RandomLayoutTable}. FLOPs = 4·d per pair: 2·d for the score q·k and 2·d for
 *       adding p·v into the output (the softmax's exp and divisions are not counted).</li>
 *   <li>Additive (Fastformer) patterns, E = H·d, no output transform: the two pooling-score
 *       products 2·(2·n·E·H) with pooling matrices (2·(2·n·E) with per-head vectors), the two
 *       weighted sums 2·(2·n·E), and the two element-wise products 2·(n·E); in all
 *       4·n·E·H + 6·n·E (matrices) or 10·n·E (vectors); the softmax over n is not counted.</li>
 * </ul>
 * Heads: the spec's {@code heads} when it fixes them (the kernels refuse any other count),
 * otherwise {@link #DEFAULT_HEADS}.
 */
public final class Workloads {

    /** Heads per call when the spec does not fix them (BERT-base, Longformer-base). */
    public static final int DEFAULT_HEADS = 12;

    /** The layer whose per-layer settings the grid measures. */
    public static final int LAYER = 0;

    private Workloads() {}

    /** Heads per call for {@code p}. */
    public static int heads(PatternIR p) {
        return p.heads().orElse(DEFAULT_HEADS);
    }

    /** The work of pattern {@code p} at length {@code n}, with the given heads. */
    public static Workload of(PatternIR p, int n, int heads) {
        int d = p.headDim();
        if (p.attention() instanceof Attention.Additive a) {
            double e = (double) heads * d;
            double flops = a.poolingMatrix() ? 4.0 * n * e * heads + 6.0 * n * e : 10.0 * n * e;
            return new Workload(p.name(), n, heads, d, LAYER, -1, flops, Workload.Growth.LINEAR);
        }
        long pairs = pairs(p, n, heads);
        return new Workload(p.name(), n, heads, d, LAYER, pairs, 4.0 * d * pairs, growth(p));
    }

    /** The work of {@code p} at length {@code n} with its {@link #heads}. */
    public static Workload of(PatternIR p, int n) {
        return of(p, n, heads(p));
    }

    /** Attended pairs at length {@code n}, summed over {@code heads} heads at layer {@link #LAYER}. */
    public static long pairs(PatternIR p, int n, int heads) {
        long pairs = 0;
        int[][][] table = RandomLayoutTable.perHead(p, n, heads);
        for (int h = 0; h < heads; h++) {
            MaskBindings b = MaskBindings.of(n).at(LAYER, h);
            if (table != null) {
                b = b.withLayout(table[h]);
            }
            pairs += TileAnalysis.countPairs(p.mask(), b);
        }
        return pairs;
    }

    /**
     * Linear when doubling the length from 16k to 32k at most 2.25× the pairs (a window, blocks,
     * a few global tokens), quadratic otherwise (full, causal, or windows as wide as the sequence).
     * Additive attention is linear.
     */
    public static Workload.Growth growth(PatternIR p) {
        if (p.isAdditive()) {
            return Workload.Growth.LINEAR;
        }
        long at16 = pairs(p, 16384, 1);
        long at32 = pairs(p, 32768, 1);
        return at32 <= 2.25 * at16 ? Workload.Growth.LINEAR : Workload.Growth.QUADRATIC;
    }
}
