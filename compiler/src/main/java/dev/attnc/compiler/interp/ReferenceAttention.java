package dev.attnc.compiler.interp;

import dev.attnc.compiler.frontend.CompilationUnit;
import dev.attnc.compiler.ir.MaskBindings;
import dev.attnc.runtime.AttentionInputs;
import dev.attnc.runtime.DenseReference;
import dev.attnc.runtime.MaskFunction;
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
        return DenseReference.attention(in, mask, global, scale);
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
