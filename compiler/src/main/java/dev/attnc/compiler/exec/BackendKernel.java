package dev.attnc.compiler.exec;

import dev.attnc.runtime.io.NpyArray;
import java.util.Map;

/**
 * A pattern opened on a backend ({@link Backend#open}): compiled or built once, then run as
 * often as wanted. Thread-safe as the backend's kernels are (the Java and CUDA kernels keep no
 * state between calls; each emulated call has its own scratch directory).
 */
public interface BackendKernel extends AutoCloseable {

    /** The backend's name ({@link Backend#name()}). */
    String backend();

    CheckedPattern pattern();

    RunOptions options();

    /**
     * The output for inputs bound to this kernel's pattern and options.
     *
     * @throws IllegalArgumentException when {@code in} was bound for another pattern, or the
     *     kernel's own validation refuses it (message names the argument)
     */
    NpyArray compute(KernelInputs in);

    /**
     * Binds {@code arrays} ({@link KernelInputs#bind}) and computes.
     *
     * @throws RunException naming the input or option that does not fit
     */
    default NpyArray run(Map<String, NpyArray> arrays) {
        return compute(KernelInputs.bind(pattern(), options(), arrays));
    }

    /** Releases what the backend holds for this kernel (nothing, for most); the kernel is then not used again. */
    @Override
    default void close() {}
}
