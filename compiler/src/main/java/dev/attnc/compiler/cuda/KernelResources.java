package dev.attnc.compiler.cuda;

import java.util.Objects;

/**
 * What ptxas reported for one entry function ({@code __global__} kernel) compiled for one
 * architecture. All sizes are bytes per thread, except {@code sharedBytes} (per block, static
 * {@code __shared__} only: dynamic shared memory is decided at launch) and {@code constantBytes}.
 *
 * <p>Guarantees: no field is negative; {@code kernel} is the symbol exactly as ptxas printed it
 * (extern "C" names are plain, C++ names stay mangled); {@code arch} is ptxas's own {@code sm_NN} text.
 *
 * @param kernel the entry function's symbol
 * @param arch the target, e.g. {@code sm_80}
 * @param registers registers per thread ("Used N registers")
 * @param barriers named barriers used ("used N barriers"; 0 when ptxas does not print it)
 * @param sharedBytes static shared memory per block ("N bytes smem"; 0 when not printed)
 * @param constantBytes constant memory summed over the banks printed ("N bytes cmem[B]"; nvcc 13
 *     prints cmem[0], the kernel parameters, for sm_80 but nothing for sm_90 and newer, so 0 there)
 * @param stackFrameBytes local-memory stack frame per thread (local arrays indexed dynamically, spills)
 * @param spillStoreBytes bytes of register spill stores per thread
 * @param spillLoadBytes bytes of register spill loads per thread
 */
public record KernelResources(
        String kernel,
        String arch,
        int registers,
        int barriers,
        long sharedBytes,
        long constantBytes,
        long stackFrameBytes,
        long spillStoreBytes,
        long spillLoadBytes) {

    public KernelResources {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(arch, "arch");
        if (registers < 0
                || barriers < 0
                || sharedBytes < 0
                || constantBytes < 0
                || stackFrameBytes < 0
                || spillStoreBytes < 0
                || spillLoadBytes < 0) {
            throw new IllegalArgumentException("negative resource count for " + kernel + " on " + arch);
        }
    }

    /** True when ptxas spilled registers to local memory (stores or loads). */
    public boolean spills() {
        return spillStoreBytes > 0 || spillLoadBytes > 0;
    }
}
