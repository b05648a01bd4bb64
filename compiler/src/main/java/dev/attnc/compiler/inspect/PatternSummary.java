package dev.attnc.compiler.inspect;

import dev.attnc.compiler.ir.Attention;
import dev.attnc.compiler.ir.IrPrinter;
import dev.attnc.compiler.ir.MaskExpr;
import dev.attnc.compiler.ir.PatternIR;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The one-line summary {@code attnc check} prints per pattern, e.g.
 * <pre>
 * specs/bigbird.attn: bigbird_itc: head_dim 64; terms block-window(1,1) | global(first 1 block, last 1 block) | random(3, seed 42); density 13.28% at n=4096 (layer 0, head 0); FLOPs/head 1,140,850,688
 * </pre>
 * FLOPs per head are {@code 4·d} per attended pair ({@code q·k} and {@code p·v}, a multiply
 * and an add each), the count the analysis and the kernels use.
 */
final class PatternSummary {

    private PatternSummary() {}

    /**
     * @param pairs attended pairs at length {@code n}, layer 0, head 0; empty when they
     *              could not be counted ({@code why} then says why)
     */
    static String line(String file, PatternIR p, int n, OptionalLong pairs, String why) {
        StringBuilder sb = new StringBuilder();
        sb.append(file)
                .append(": ")
                .append(p.name())
                .append(": head_dim ")
                .append(p.headDim())
                .append("; ");
        if (p.attention() instanceof Attention.Additive a) {
            sb.append("additive (value ")
                    .append(a.sharedValue() ? "shared" : "separate")
                    .append(", pooling ")
                    .append(a.poolingMatrix() ? "matrix" : "vector")
                    .append("); no mask: cost linear in n");
            return sb.toString();
        }
        sb.append("terms ").append(TermsFormatter.format(p.mask())).append("; ");
        if (!p.scoreMods().isNone()) {
            sb.append("scores ").append(IrPrinter.scoreMods(p.scoreMods())).append("; ");
        }
        if (pairs.isEmpty()) {
            sb.append("density at n=")
                    .append(n)
                    .append(" not computed (")
                    .append(why)
                    .append(')');
            return sb.toString();
        }
        long count = pairs.getAsLong();
        double density = (double) count / ((double) n * n);
        sb.append("density ")
                .append(MaskPicture.percent(density))
                .append(" at n=")
                .append(n)
                .append(" (layer 0, head 0")
                .append(runtimeInputs(p.mask()) ? ", run-time inputs empty" : "")
                .append("); FLOPs/head ")
                .append(String.format(Locale.ROOT, "%,d", 4L * p.headDim() * count));
        return sb.toString();
    }

    /** True when part of the mask comes from run-time inputs (global mask, random layout, prefix lengths). */
    static boolean runtimeInputs(MaskExpr e) {
        return e.accept(RUNTIME_INPUTS);
    }

    private static final MaskExpr.Any RUNTIME_INPUTS = new MaskExpr.Any() {
        @Override
        public Boolean global(MaskExpr.Global g) {
            return g.hasInput();
        }

        @Override
        public Boolean randomLayout(MaskExpr.RandomLayout r) {
            return true;
        }

        @Override
        public Boolean segments(MaskExpr.Segments s) {
            return true;
        }

        @Override
        public Boolean tokenSet(MaskExpr.TokenSet t) {
            return t.hasInput();
        }
    };
}
