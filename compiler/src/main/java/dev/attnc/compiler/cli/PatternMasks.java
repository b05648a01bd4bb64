package dev.attnc.compiler.cli;

import dev.attnc.compiler.Pipeline;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.render.KindMask;
import java.io.PrintWriter;
import java.util.List;

/** Evaluates a pattern to a {@link KindMask} for {@code attnc show}. */
final class PatternMasks {

    private PatternMasks() {}

    static KindMask evaluate(Pipeline.Result result, PatternIR p, int n, int layer, int head, List<Integer> globals,
                             PrintWriter err) {
        throw new UserError("attnc show needs the mask interpreter, which this build does not have yet");
    }
}
