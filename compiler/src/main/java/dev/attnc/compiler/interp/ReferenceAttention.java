package dev.attnc.compiler.interp;

import dev.attnc.compiler.frontend.CompilationUnit;
import dev.attnc.compiler.frontend.PatternSettings;
import dev.attnc.compiler.ir.MaskBindings;
import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.DenseReference;
import dev.attnc.runtime.MaskFunction;
import dev.attnc.runtime.kernel.ScoreMods;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.IntStream;

/**
 * The oracle end to end: the interpreter's mask of a pattern (per batch item and head, with
 * that item's runtime globals and prefix length and that head's explicit layout) fed to {@link DenseReference}.
 * Every kernel test and {@code attnc run --backend reference} go through here.
 */
public final class ReferenceAttention {

    private ReferenceAttention() {}

    public static double[] compute(CompilationUnit unit, String pattern, AttentionInputs in, double scale) {
        return run(unit, pattern, in, scale, false);
    }

    /**
     * Each row's natural-log log-sum-exp of its (modified) scores at {@code (b·H + h)·L + i},
     * {@code -∞} for rows without a key (DenseReference#logSumExp), for kernels that return it.
     */
    public static double[] logSumExp(CompilationUnit unit, String pattern, AttentionInputs in, double scale) {
        return run(unit, pattern, in, scale, true);
    }

    private static double[] run(CompilationUnit unit, String pattern, AttentionInputs in, double scale, boolean lse) {
        int n = in.shape().length();
        Map<Long, DenseMask> masks = new HashMap<>();
        BiFunction<Integer, Integer, DenseMask> maskOf = (b, h) -> masks.computeIfAbsent(
                ((long) b << 32) | h,
                key -> MaskInterpreter.evaluate(
                        unit,
                        pattern,
                        new MaskBindings(
                                n,
                                in.layer(),
                                h,
                                runtimeGlobals(in, b),
                                layoutOf(in, h),
                                segmentsOf(in, b),
                                in.hasPrefixLengths() ? in.prefixLength(b) : 0)));
        MaskFunction mask = (b, h, i, j) -> maskOf.apply(b, h).allowed(i, j);
        DenseReference.GlobalRows global = (b, h, i) -> maskOf.apply(b, h).isGlobalRow(i);
        ScoreMods mods = unit.lookup(pattern).map(PatternSettings::scoreMods).orElse(ScoreMods.NONE);
        DenseReference.Scores scores = scores(mods, scale, in.shape().heads());
        return lse
                ? DenseReference.logSumExp(in, mask, global, scores)
                : DenseReference.attention(in, mask, global, scores);
    }

    /**
     * The natural-unit score of an allowed pair under the pattern's score modifiers (docs/LANGUAGE.md,
     * "Score modifiers"), in double: {@code s = scale_h · dot}, then {@code C · tanh(s / C)},
     * then {@code + slope_h · (j − i)}.
     */
    static DenseReference.Scores scores(ScoreMods mods, double scale, int heads) {
        if (mods.isNone()) {
            return DenseReference.Scores.scaled(scale);
        }
        double[] scales = mods.headScales();
        double cap = mods.softcap();
        double[] slopes = new double[heads];
        for (int h = 0; h < heads && mods.alibi(); h++) {
            slopes[h] = mods.slope(h, heads);
        }
        return (b, h, i, j, dot) -> {
            double s = (scales == null ? scale : scales[h]) * dot;
            if (cap != 0) {
                s = cap * Math.tanh(s / cap);
            }
            return s + slopes[h] * (j - i);
        };
    }

    private static int[] runtimeGlobals(AttentionInputs in, int b) {
        return IntStream.range(0, in.shape().length())
                .filter(i -> in.isRuntimeGlobal(b, i))
                .toArray();
    }

    /** Batch item {@code b}'s segment ids, or null. */
    private static int[] segmentsOf(AttentionInputs in, int b) {
        int[] ids = in.segmentIds();
        int n = in.shape().length();
        return ids == null ? null : Arrays.copyOfRange(ids, b * n, (b + 1) * n);
    }

    /** Head {@code h}'s slice of the {@code [H, nQueryBlocks, r]} layout, as rows per query block. */
    private static int[][] layoutOf(AttentionInputs in, int h) {
        int[] flat = in.randomLayout();
        if (flat == null) {
            return null;
        }
        int r = in.randomPerRow();
        int perHead = flat.length / in.shape().heads();
        int blocks = r == 0 ? 0 : perHead / r;
        int[][] rows = new int[blocks][];
        for (int qb = 0; qb < blocks; qb++) {
            rows[qb] = Arrays.copyOfRange(flat, h * perHead + qb * r, h * perHead + (qb + 1) * r);
        }
        return rows;
    }
}
