package dev.attnc.compiler.exec;

import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.jit.CompilationException;
import dev.attnc.compiler.jit.KernelCompiler;

/** The pattern's generated Java classes, compiled in memory, with their failures as the backends report them. */
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

    /**
     * The host side of a softmax pattern alone, its generated {@code PatternBinding} (what the
     * CUDA backends bind through: no Java engine, no Vector API), or, for an additive pattern,
     * its generated kernel, whose {@code check} validates an additive call.
     *
     * @throws BackendException when javac is missing or fails
     */
    static Object hostSide(PatternIR p) {
        if (p.isAdditive()) {
            return load(p, null);
        }
        try {
            return KernelCompiler.binding(p);
        } catch (CompilationException e) {
            throw new BackendException(s -> e.getMessage(), e);
        }
    }
}
