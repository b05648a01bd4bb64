package dev.attnc.compiler.emit;

import dev.attnc.compiler.ir.IrPrinter;
import dev.attnc.compiler.loops.KernelPlan;
import dev.attnc.runtime.kernel.ScoreMods;

/**
 * The score modifiers of a CUDA {@code Pattern} struct (only for patterns that have some: the
 * others print nothing, and the engine compiles their kernels as before): {@code __constant__}
 * tables of per-head scales and explicit ALiBi slopes, and the struct's {@code SCORE_MOD} flag
 * {@code scoreHead(c)} (a head's scale factor and ALiBi slope, read once per pass) and
 * {@code score(h, i, j, s)}, which attnc_softmax.cuh applies to every allowed pair's log2-unit
 * score {@code s = SCALE_LOG2 · q·k}: per-head scale, then the soft cap, then the ALiBi bias.
 */
final class CudaScoreMods {

    private static final double LOG2E = 1 / Math.log(2);

    private CudaScoreMods() {}

    /**
     * The log2-unit scale the struct's {@code SCALE_LOG2} holds: the pattern's, or with per-head
     * scales {@code log2 e} (each head's own scale is then applied by {@code score}).
     */
    static double scaleLog2(KernelPlan.Softmax p) {
        return (p.scoreMods().headScales() != null ? 1.0 : p.scale()) * LOG2E;
    }

    /** The namespace-level tables (before the struct). */
    static void tables(CudaWriter w, KernelPlan.Softmax p) {
        ScoreMods m = p.scoreMods();
        if (m.headScales() != null) {
            w.line("/** The softmax scale of each head (natural units). */");
            w.line("__constant__ float HEAD_SCALE[" + m.headScales().length + "] = {" + floats(m.headScales(), 1)
                    + "};");
            w.blank();
        }
        if (m.alibi() && m.slopes() != null) {
            w.line("/** The ALiBi slope of each head times log2(e). */");
            w.line("__constant__ float ALIBI_SLOPE_LOG2[" + m.slopes().length + "] = {" + floats(m.slopes(), LOG2E)
                    + "};");
            w.blank();
        }
    }

    /** {@code SCORE_MOD} and {@code score()}, inside the struct. */
    static void members(CudaWriter w, KernelPlan.Softmax p) {
        ScoreMods m = p.scoreMods();
        w.blank();
        w.line("/** Score modifiers: " + IrPrinter.scoreMods(m) + ". */");
        w.line("static constexpr bool SCORE_MOD = true;");
        if (m.softcap() != 0) {
            w.line("/** The soft cap " + m.softcap() + " times log2(e). */");
            w.line("static constexpr float CAP_LOG2 = " + CudaEmitter.floatLiteral(m.softcap() * LOG2E) + ";");
        }
        w.blank();
        w.line("/** This head's constants: its scale (as a factor on SCALE_LOG2) and its ALiBi slope × log2(e). */");
        w.open("__device__ static attnc::ScoreHead scoreHead(const attnc::Head& c)");
        String factor = m.headScales() != null ? "HEAD_SCALE[c.head]" : "1.f";
        String slope;
        if (!m.alibi()) {
            slope = "0.f";
        } else if (m.slopes() != null) {
            slope = "ALIBI_SLOPE_LOG2[c.head]";
        } else {
            w.comment("Bloom's slopes from the call's head count (bind[2])");
            slope = "attnc::bloomSlopeLog2(c.head, c.bind[2])";
        }
        if (m.headScales() == null && !m.alibi()) {
            w.line("(void) c;");
        }
        w.line("return attnc::ScoreHead{" + factor + ", " + slope + "};");
        w.close();
        w.blank();
        w.line("/** The score of an allowed pair (query i, key j) in log2 units, from s = SCALE_LOG2 · q·k. */");
        w.open("__device__ static float score(const attnc::ScoreHead& h, int i, int j, float s)");
        if (m.headScales() != null) {
            w.line("s *= h.factor;");
        }
        if (m.softcap() != 0) {
            w.line("s = CAP_LOG2 * tanhf(s * (1.f / CAP_LOG2));");
        }
        if (m.alibi()) {
            w.line("s += h.slope * (float) (j - i);");
        } else {
            w.line("(void) i; (void) j;");
        }
        if (m.headScales() == null && !m.alibi()) {
            w.line("(void) h;");
        }
        w.line("return s;");
        w.close();
    }

    private static String floats(double[] values, double factor) {
        StringBuilder b = new StringBuilder();
        for (int x = 0; x < values.length; x++) {
            b.append(x > 0 ? ", " : "").append(CudaEmitter.floatLiteral(values[x] * factor));
        }
        return b.toString();
    }
}
