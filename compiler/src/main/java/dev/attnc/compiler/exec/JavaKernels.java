package dev.attnc.compiler.exec;

import dev.attnc.compiler.ir.Attention;
import dev.attnc.compiler.ir.PatternIR;
import dev.attnc.compiler.jit.CompilationException;
import dev.attnc.compiler.jit.KernelCompiler;
import dev.attnc.runtime.kernel.AdditiveSpec;

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
     * The host side of a pattern alone, what the CUDA backends bind through (no Java engine, no
     * Vector API): for a softmax pattern its generated {@code PatternBinding}, for an additive
     * pattern its {@link AdditiveSpec} (plain data of the pattern, no javac; the generated
     * kernel's constructor passes the same values), whose {@code check} validates a call.
     *
     * @throws BackendException when javac is missing or fails
     */
    static Object hostSide(PatternIR p) {
        if (p.attention() instanceof Attention.Additive a) {
            return new AdditiveSpec(
                    p.name(), p.headDim(), p.effectiveScale(), p.heads().orElse(0), a.sharedValue(), a.poolingMatrix());
        }
        try {
            return KernelCompiler.binding(p);
        } catch (CompilationException e) {
            throw new BackendException(s -> e.getMessage(), e);
        }
    }
}
