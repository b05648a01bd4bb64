package dev.attnc.compiler.emit;

import dev.attnc.compiler.loops.KernelPlan;
import java.util.List;

/**
 * The CUDA emulator's entry table, {@value #FILE_NAME}: one macro line per plan,
 * {@code ATTNC_ENTRY(pattern, head_dim)} for softmax and
 * {@code ATTNC_ADDITIVE(pattern, head_dim, matrix)} for additive patterns, which
 * {@code attnc_emu_main.cpp} includes twice (the entries' declarations, then the table of
 * entries it runs). Printed through {@link CudaWriter} as the kernels are.
 */
public final class EmuEntryTable {

    /** The name {@code attnc_emu_main.cpp} includes. */
    public static final String FILE_NAME = "attnc_emu_entries.inc";

    private EmuEntryTable() {}

    public static String text(List<KernelPlan> plans) {
        CudaWriter w = new CudaWriter();
        for (KernelPlan p : plans) {
            if (p instanceof KernelPlan.Additive a) {
                w.line("ATTNC_ADDITIVE($L, $L, $L)", p.pattern(), p.headDim(), a.poolingMatrix() ? 1 : 0);
            } else {
                w.line("ATTNC_ENTRY($L, $L)", p.pattern(), p.headDim());
            }
        }
        return w.toString();
    }
}
