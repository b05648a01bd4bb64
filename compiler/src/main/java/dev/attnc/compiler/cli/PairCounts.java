package dev.attnc.compiler.cli;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.ir.PatternIR;
import java.util.OptionalLong;

/** Counts the pairs a pattern attends, for the summary of {@code attnc check}. */
final class PairCounts {

    private PairCounts() {}

    static String summary(String file, Pipeline.Result result, PatternIR p, int n) {
        return PatternSummary.line(file, p, n, OptionalLong.empty(), "no pair counter in this build yet");
    }
}
