package dev.attnc.compiler.cli;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.inspect.KindMask;
import dev.attnc.compiler.inspect.TermKind;
import dev.attnc.compiler.interp.MaskInterpreter;
import dev.attnc.compiler.interp.MaskRows;
import dev.attnc.compiler.ir.MaskBindings;
import dev.attnc.compiler.ir.PatternIR;
import java.io.PrintWriter;
import java.util.List;
import java.util.OptionalInt;

/**
 * Evaluates a pattern to a {@link KindMask} for {@code attnc show}, with the AST interpreter
 * (the same oracle the tests trust), row by row as the pictures read it, so memory stays
 * {@code O(n)} for any length they draw. {@code MaskKind} and {@link TermKind} share their order,
 * so the interpreter's kind bits are drawing priorities as they are.
 */
final class PatternMasks {

    private PatternMasks() {}

    static KindMask evaluate(
            Pipeline.Result result,
            PatternIR p,
            int n,
            int layer,
            int head,
            List<Integer> globals,
            int[][] layout,
            PrintWriter err) {
        return evaluate(result, p, n, layer, head, globals, layout, null, 0, err);
    }

    /**
     * As above, with the segment id of each token for {@code segments from input} (null: one
     * segment) and the prefix length of {@code keys from input} / {@code queries from input}.
     */
    static KindMask evaluate(
            Pipeline.Result result,
            PatternIR p,
            int n,
            int layer,
            int head,
            List<Integer> globals,
            int[][] layout,
            int[] segmentIds,
            int prefixLength,
            PrintWriter err) {
        if (p.isAdditive()) {
            throw new UserError(
                    "pattern '" + p.name() + "' is additive attention (Fastformer): it has no mask to show");
        }
        if (n > MaskInterpreter.ROWS_MAX_N) {
            throw new UserError("--n " + n + " is too large to draw; the limit is " + MaskInterpreter.ROWS_MAX_N);
        }
        checkIndex("--layer", layer, p.layers(), "layers");
        checkIndex("--head", head, p.heads(), "heads");
        int[] g = globals.stream().mapToInt(Integer::intValue).toArray();
        MaskRows mask;
        try {
            mask = MaskInterpreter.rows(
                    result.unit().orElseThrow(),
                    p.name(),
                    new MaskBindings(n, layer, head, g, layout, segmentIds, prefixLength));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new UserError("cannot evaluate pattern '" + p.name() + "' at layer " + layer + ", head " + head + ": "
                    + e.getMessage());
        }
        return new KindMask() {
            @Override
            public int size() {
                return mask.n();
            }

            @Override
            public TermKind at(int query, int key) {
                return TermKind.dominant(mask.kinds(query, key));
            }
        };
    }

    private static void checkIndex(String option, int value, OptionalInt count, String what) {
        if (count.isPresent() && value >= count.getAsInt()) {
            throw new UserError(option + " " + value + " is out of range: the pattern has " + count.getAsInt() + " "
                    + what + " (0.." + (count.getAsInt() - 1) + ")");
        }
    }
}
