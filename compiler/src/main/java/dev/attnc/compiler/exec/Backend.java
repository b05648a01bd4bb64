package dev.attnc.compiler.exec;

import dev.attnc.runtime.io.NpyArray;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a checked pattern runs: named arrays in, the output array out. Four backends:
 * <ul>
 *   <li>{@code java}: the pattern's generated Vector-API kernel, compiled in memory (needs a JDK);</li>
 *   <li>{@code cuda-emu}: the pattern's generated CUDA kernel, unchanged, built by g++ under the
 *       emulation header and run on the CPU (needs g++ and the CUDA headers);</li>
 *   <li>{@code reference}: the dense oracle, in double precision, {@code O(n²)};</li>
 *   <li>{@code cuda}: the generated CUDA kernel on the device, built by nvcc for it (needs a CUDA
 *       driver, a device and nvcc).</li>
 * </ul>
 * <pre>
 *   try (BackendKernel k = Backend.of("java").open(pattern, RunOptions.defaults())) {
 *       NpyArray out = k.run(Map.of("q", q, "k", k, "v", v));      // as often as needed
 *   }
 * </pre>
 */
public interface Backend {

    /** Every backend's name, in the order of the documentation. */
    List<String> NAMES = List.of("java", "cuda-emu", "reference", "cuda");

    /**
     * The backend called {@code name}.
     *
     * @throws IllegalArgumentException for a name not in {@link #NAMES}
     */
    static Backend of(String name) {
        return switch (name) {
            case "java" -> new JavaBackend();
            case "cuda-emu" -> new CudaEmuBackend();
            case "reference" -> new ReferenceBackend();
            case "cuda" -> new CudaBackend();
            default ->
                throw new IllegalArgumentException("'" + name + "' is not a backend; use " + String.join(", ", NAMES));
        };
    }

    /** The name {@link #of} knows it by. */
    String name();

    /** Why this backend cannot run on this machine (missing tool, driver or device), or empty when it can. */
    default Optional<String> unavailableReason() {
        return Optional.empty();
    }

    /**
     * Compiles or builds {@code pattern} for this backend with {@code options} (layout, heads,
     * layer, dtype, schedule), once.
     *
     * @throws RunException when an option does not fit the pattern
     * @throws BackendException when the backend cannot run here or cannot build the pattern
     */
    BackendKernel open(CheckedPattern pattern, RunOptions options);

    /**
     * One call: binds {@code arrays} (their errors come before any compile or build), opens the
     * pattern, computes and closes.
     */
    default NpyArray run(CheckedPattern pattern, RunOptions options, Map<String, NpyArray> arrays) {
        KernelInputs in = KernelInputs.bind(pattern, options, arrays);
        try (BackendKernel k = open(pattern, options)) {
            return k.compute(in);
        }
    }
}
