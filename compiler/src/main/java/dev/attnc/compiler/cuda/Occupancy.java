package dev.attnc.compiler.cuda;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Theoretical occupancy of one kernel on one SM architecture: how many blocks (and warps) can be
 * resident on a streaming multiprocessor at once, given the kernel's block size, its registers
 * per thread and its static shared memory per block, and which resource stops a further block.
 * The rules are those of NVIDIA's CUDA Occupancy Calculator (as {@code
 * cudaOccupancyMaxActiveBlocksPerMultiprocessor} applies them):
 *
 * <ul>
 *   <li>warps per block = ⌈threads / 32⌉;
 *   <li>registers: a warp allocates ⌈registers · 32 / 256⌉ · 256 registers; an SM holds
 *       ⌊⌊65536 / that⌋ / 4⌋ · 4 such warps (warps are allocated four at a time, one per
 *       scheduler partition), hence ⌊that / warps per block⌋ blocks;
 *   <li>shared memory: a block takes its static shared memory plus 1 KB that the system reserves
 *       per block (compute capability 8.0 and newer), rounded up to 128 bytes; the SM's shared
 *       memory is taken at its largest carveout (164 KB on sm_80, 228 KB on sm_90);
 *   <li>at most 64 warps and 32 blocks per SM.
 * </ul>
 *
 * <p>The numbers per architecture ({@link Limits#SM_80}, {@link Limits#SM_90}) are those of the
 * CUDA C++ Programming Guide, "Compute Capabilities", table "Technical Specifications per Compute
 * Capability" (8.0 and 9.0), and of the Occupancy Calculator's GPU data sheet.
 *
 * @param blocksPerSm resident blocks per SM (0 when one block does not fit)
 * @param warpsPerSm resident warps per SM, {@code blocksPerSm · ⌈threads / 32⌉}
 * @param maxWarpsPerSm the architecture's limit, the denominator of {@link #fraction()}
 * @param limiters every resource that allows exactly {@code blocksPerSm} blocks, the fewest (more
 *     than one on a tie: then relaxing one of them alone does not raise the occupancy)
 */
public record Occupancy(int blocksPerSm, int warpsPerSm, int maxWarpsPerSm, Set<Limiter> limiters) {

    /** Copies {@code limiters}; throws IllegalArgumentException when it is empty. */
    public Occupancy {
        if (limiters.isEmpty()) {
            throw new IllegalArgumentException("limiters must name at least one resource");
        }
        limiters = Collections.unmodifiableSet(EnumSet.copyOf(limiters));
    }

    /** The first of {@link #limiters()} in {@link Limiter} order. */
    public Limiter limiter() {
        return limiters.iterator().next();
    }

    /** What bounds the resident blocks. */
    public enum Limiter {
        /** The SM's maximum of resident warps. */
        WARPS,
        /** The SM's register file. */
        REGISTERS,
        /** The SM's shared memory. */
        SHARED_MEMORY,
        /** The SM's maximum of resident blocks. */
        BLOCKS
    }

    /**
     * One architecture's SM limits.
     *
     * @param maxWarpsPerSm resident warps per SM
     * @param maxBlocksPerSm resident blocks per SM
     * @param registersPerSm 32-bit registers per SM
     * @param registerUnit registers are allocated per warp in multiples of this
     * @param warpAllocationUnit warps are given registers in groups of this many
     * @param maxRegistersPerThread the most a thread can use
     * @param sharedBytesPerSm shared memory per SM at the largest carveout
     * @param reservedSharedBytesPerBlock shared memory the system takes per block
     * @param sharedUnit shared memory is allocated per block in multiples of this
     */
    public record Limits(
            int maxWarpsPerSm,
            int maxBlocksPerSm,
            int registersPerSm,
            int registerUnit,
            int warpAllocationUnit,
            int maxRegistersPerThread,
            long sharedBytesPerSm,
            long reservedSharedBytesPerBlock,
            long sharedUnit) {

        /** Compute capability 8.0 (A100): 164 KB shared memory per SM. */
        public static final Limits SM_80 = new Limits(64, 32, 65536, 256, 4, 255, 164 * 1024, 1024, 128);

        /** Compute capability 9.0 (H100): 228 KB shared memory per SM. */
        public static final Limits SM_90 = new Limits(64, 32, 65536, 256, 4, 255, 228 * 1024, 1024, 128);

        /** The limits of {@code arch}, for the architectures this table holds (sm_80 and sm_90). */
        public static Optional<Limits> of(CudaArch arch) {
            return switch (arch.number()) {
                case 80 -> Optional.of(SM_80);
                case 90 -> Optional.of(SM_90);
                default -> Optional.empty();
            };
        }
    }

    /** Resident warps over the SM's maximum, in [0, 1]. */
    public double fraction() {
        return (double) warpsPerSm / maxWarpsPerSm;
    }

    /**
     * The occupancy of a kernel with the given resources. A pure function.
     *
     * @param threadsPerBlock 1 to 1024
     * @param registersPerThread 0 to {@code limits.maxRegistersPerThread()} (ptxas's "Used N registers")
     * @param sharedBytesPerBlock static plus dynamic shared memory per block, not negative
     * @throws IllegalArgumentException naming the argument out of range and the range
     */
    public static Occupancy of(Limits limits, int threadsPerBlock, int registersPerThread, long sharedBytesPerBlock) {
        Objects.requireNonNull(limits, "limits");
        if (threadsPerBlock < 1 || threadsPerBlock > 1024) {
            throw new IllegalArgumentException("threadsPerBlock must be in 1..1024, not " + threadsPerBlock);
        }
        if (registersPerThread < 0 || registersPerThread > limits.maxRegistersPerThread()) {
            throw new IllegalArgumentException("registersPerThread must be in 0.." + limits.maxRegistersPerThread()
                    + ", not " + registersPerThread);
        }
        if (sharedBytesPerBlock < 0) {
            throw new IllegalArgumentException("sharedBytesPerBlock must not be negative, not " + sharedBytesPerBlock);
        }
        int warpsPerBlock = (threadsPerBlock + 31) / 32;
        long byWarps = limits.maxWarpsPerSm() / warpsPerBlock;
        long byRegisters = Long.MAX_VALUE;
        if (registersPerThread > 0) {
            long perWarp = roundUp((long) registersPerThread * 32, limits.registerUnit());
            long warps = limits.registersPerSm() / perWarp;
            warps -= warps % limits.warpAllocationUnit();
            byRegisters = warps / warpsPerBlock;
        }
        long perBlock = roundUp(sharedBytesPerBlock + limits.reservedSharedBytesPerBlock(), limits.sharedUnit());
        long byShared = perBlock == 0 ? Long.MAX_VALUE : limits.sharedBytesPerSm() / perBlock;
        long byBlocks = limits.maxBlocksPerSm();
        long[] bound = {byWarps, byRegisters, byShared, byBlocks};
        int arg = 0;
        for (int i = 1; i < bound.length; i++) {
            if (bound[i] < bound[arg]) {
                arg = i;
            }
        }
        EnumSet<Limiter> limiters = EnumSet.noneOf(Limiter.class);
        for (int i = 0; i < bound.length; i++) {
            if (bound[i] == bound[arg]) {
                limiters.add(Limiter.values()[i]);
            }
        }
        int blocks = (int) bound[arg];
        return new Occupancy(blocks, blocks * warpsPerBlock, limits.maxWarpsPerSm(), limiters);
    }

    private static long roundUp(long value, long unit) {
        return (value + unit - 1) / unit * unit;
    }
}
