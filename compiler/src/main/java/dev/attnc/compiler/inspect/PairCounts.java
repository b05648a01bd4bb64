package dev.attnc.compiler.inspect;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.ir.MaskBindings;
import dev.attnc.compiler.ir.PatternIR;
import java.util.OptionalLong;

/** Counts the pairs a pattern attends with the analysis (no n×n mask), for {@code attnc check}. */
public final class PairCounts {

    private PairCounts() {}

    public static String summary(String file, Pipeline.Result result, PatternIR p, int n) {
        if (p.isAdditive()) {
            return PatternSummary.line(file, p, n, OptionalLong.empty(), "additive");
        }
        long pairs = TileAnalysis.countPairs(p.mask(), MaskBindings.of(n));
        return PatternSummary.line(file, p, n, OptionalLong.of(pairs), "");
    }
}
