package dev.attnc.compiler.loops;

import dev.attnc.compiler.schedule.Schedule;
import dev.attnc.runtime.kernel.ScoreMods;
import java.util.List;

/**
 * The loop IR of one pattern: what the emitter needs, nothing it has to work out. A softmax
 * kernel is a fixed loop nest (see {@link LoopPrinter}) over the engine's tiles, specialised
 * by the key sets, the slots they read, the row stride and the schedule; an additive kernel is
 * the Fastformer pooling sequence.
 */
public sealed interface KernelPlan {

    /** The pattern's name, as in the spec. */
    String pattern();

    /** The generated class's simple name. */
    String className();

    int headDim();

    /** {@code file:line:col} of the declaration. */
    String origin();

    /** The declaration as written. */
    String sourceText();

    /**
     * @param heads       the spec's head count, 0 when it fixes none
     * @param kvHeads     the spec's {@code kv_heads}, 0 when it says none (any count dividing
     *                    the heads is accepted at run time)
     * @param layers      the spec's layer count, 0 when it fixes none
     * @param dilations   the window dilations; rows are grouped by residue modulo their lcm
     * @param layoutBlock block size of a {@code random from input} term, 0 without one
     * @param scoreMods   the pattern's score modifiers ({@link ScoreMods#NONE} without)
     */
    record Softmax(
            String pattern,
            String className,
            int headDim,
            double scale,
            int heads,
            int kvHeads,
            int layers,
            Schedule schedule,
            List<ParamSlot> params,
            List<GlobalSlot> globals,
            List<RandomSlot> randoms,
            Keys keys,
            List<Operand> dilations,
            int layoutBlock,
            String origin,
            String sourceText,
            ScoreMods scoreMods)
            implements KernelPlan {
        public Softmax {
            params = List.copyOf(params);
            globals = List.copyOf(globals);
            randoms = List.copyOf(randoms);
            dilations = List.copyOf(dilations);
            scoreMods = scoreMods == null ? ScoreMods.NONE : scoreMods;
        }

        /** A plan without score modifiers. */
        public Softmax(
                String pattern,
                String className,
                int headDim,
                double scale,
                int heads,
                int kvHeads,
                int layers,
                Schedule schedule,
                List<ParamSlot> params,
                List<GlobalSlot> globals,
                List<RandomSlot> randoms,
                Keys keys,
                List<Operand> dilations,
                int layoutBlock,
                String origin,
                String sourceText) {
            this(
                    pattern,
                    className,
                    headDim,
                    scale,
                    heads,
                    kvHeads,
                    layers,
                    schedule,
                    params,
                    globals,
                    randoms,
                    keys,
                    dilations,
                    layoutBlock,
                    origin,
                    sourceText,
                    ScoreMods.NONE);
        }
    }

    /**
     * Fastformer additive attention (docs/DESIGN.md §3).
     *
     * @param sharedValue   {@code v = q}
     * @param poolingMatrix pooling scores from {@code W [H, H·d]} (else per-head vectors)
     */
    record Additive(
            String pattern,
            String className,
            int headDim,
            double scale,
            int heads,
            boolean sharedValue,
            boolean poolingMatrix,
            String origin,
            String sourceText)
            implements KernelPlan {}
}
