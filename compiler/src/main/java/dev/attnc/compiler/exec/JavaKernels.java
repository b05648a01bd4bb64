package dev.attnc.compiler.exec;

import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.jit.CompilationException;
import dev.attnc.compiler.jit.KernelCompiler;

/** The pattern's generated Java kernel, compiled in memory, with its failures as the backends report them. */
final class JavaKernels {

    private JavaKernels() {}

    /**
     * A loaded instance of the pattern's generated class ({@code SparseAttentionKernel} or
     * {@code AdditiveAttentionKernel}).
     *
     * @throws RunException when the schedule overrides are not valid
     * @throws BackendException when javac is missing or fails
     */
    static Object load(PatternIR p, String schedule) {
        try {
            return KernelCompiler.load(p, schedule);
        } catch (IllegalArgumentException e) {
            throw new RunException(s -> s.option("schedule") + ": " + e.getMessage());
        } catch (CompilationException e) {
            throw new BackendException(s -> e.getMessage(), e);
        }
    }
}
