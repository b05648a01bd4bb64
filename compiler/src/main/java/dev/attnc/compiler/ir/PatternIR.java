package dev.attnc.compiler.ir;

import dev.attnc.runtime.cuda.CudaDtype;
import dev.attnc.runtime.kernel.ScoreMods;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * One compiled pattern: its settings and what it computes. Sizes known here become
 * constants in generated code; sequence length, batch and head count stay runtime values.
 *
 * @param name       the pattern's name (a valid Java and C identifier, checked)
 * @param headDim    {@code d}
 * @param heads      the head count, when the spec fixes it (needed by per-head settings)
 * @param kvHeads    {@code kv_heads G} (grouped-query attention: query head {@code h} reads
 *                   key/value head {@code h / (H / G)}), when the spec says it; without it k and
 *                   v may hold any head count dividing H (as FlexAttention's {@code enable_gqa})
 * @param layers     the layer count, when the spec fixes it (needed by per-layer settings)
 * @param scale      the softmax scale; empty means {@code 1/sqrt(d)}
 * @param dtypes     element types for the CUDA target ({@code fp32} when the spec names none)
 * @param attention  the mask or the additive pooling
 * @param origin     {@code file:line:col} of the declaration
 * @param sourceText the declaration as written, for comments in generated code
 * @param scoreMods  the score modifiers (per-head scale, soft cap, ALiBi); {@link ScoreMods#NONE}
 *                   when the pattern has none
 */
public record PatternIR(
        String name,
        int headDim,
        OptionalInt heads,
        OptionalInt kvHeads,
        OptionalInt layers,
        OptionalDouble scale,
        List<CudaDtype> dtypes,
        Attention attention,
        String origin,
        String sourceText,
        ScoreMods scoreMods) {

    public PatternIR {
        dtypes = List.copyOf(dtypes);
        scoreMods = scoreMods == null ? ScoreMods.NONE : scoreMods;
    }

    /** A pattern without score modifiers and without {@code kv_heads}. */
    public PatternIR(
            String name,
            int headDim,
            OptionalInt heads,
            OptionalInt layers,
            OptionalDouble scale,
            List<CudaDtype> dtypes,
            Attention attention,
            String origin,
            String sourceText) {
        this(
                name,
                headDim,
                heads,
                OptionalInt.empty(),
                layers,
                scale,
                dtypes,
                attention,
                origin,
                sourceText,
                ScoreMods.NONE);
    }

    public double effectiveScale() {
        return scale.orElse(1.0 / Math.sqrt(headDim));
    }

    public boolean isAdditive() {
        return attention instanceof Attention.Additive;
    }

    /** The mask of a softmax pattern. */
    public MaskExpr mask() {
        if (attention instanceof Attention.Softmax s) {
            return s.mask();
        }
        throw new IllegalStateException("pattern " + name + " is additive and has no mask");
    }
}
