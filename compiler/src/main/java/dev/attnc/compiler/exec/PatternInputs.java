package dev.attnc.compiler.exec;

import dev.attnc.compiler.ir.MaskExpr;
import dev.attnc.compiler.ir.PatternIR;

/**
 * Which optional run-time inputs a pattern's mask reads: the global mask of a
 * {@code global from input} term, the separate global projections (qg, kg, vg) of any
 * {@code global} term, the segment ids of a {@code segments from input} term, and the prefix lengths
 * ({@code prefix_len}) of a {@code keys from input} or {@code queries from input} set. Additive
 * patterns have no mask and read none of them. An input a pattern does not read is refused rather than ignored.
 */
public final class PatternInputs {

    private PatternInputs() {}

    /** True when some {@code global} term of {@code p} takes its tokens from {@code global_mask}. */
    public static boolean readsGlobalMask(PatternIR p) {
        return !p.isAdditive() && p.mask().accept(new AnyGlobal(true));
    }

    /** True when {@code p} has a {@code global} term, whose rows the global projections feed. */
    public static boolean hasGlobalTerm(PatternIR p) {
        return !p.isAdditive() && p.mask().accept(new AnyGlobal(false));
    }

    /** True when {@code p}'s mask has a {@code segments from input} term, which reads {@code segment_ids}. */
    public static boolean readsSegmentIds(PatternIR p) {
        return !p.isAdditive() && p.mask().accept(ANY_SEGMENTS);
    }

    private static final MaskExpr.Any ANY_SEGMENTS = new MaskExpr.Any() {
        @Override
        public Boolean segments(MaskExpr.Segments s) {
            return true;
        }
    };

    /** True when some {@code keys} or {@code queries} set of {@code p} is the run-time prefix ({@code prefix_len}). */
    public static boolean readsPrefixLengths(PatternIR p) {
        return !p.isAdditive() && p.mask().accept(PREFIX);
    }

    private static final MaskExpr.Any PREFIX = new MaskExpr.Any() {
        @Override
        public Boolean tokenSet(MaskExpr.TokenSet t) {
            return t.hasInput();
        }
    };

    private static final class AnyGlobal extends MaskExpr.Any {
        private final boolean fromInputOnly;

        AnyGlobal(boolean fromInputOnly) {
            this.fromInputOnly = fromInputOnly;
        }

        @Override
        public Boolean global(MaskExpr.Global g) {
            return !fromInputOnly || g.hasInput();
        }
    }
}
